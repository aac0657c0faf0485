/** Add a site: host name, subdomain, time zone → the snippet and the first-hit check. */
import { useState } from 'preact/hooks';
import { ApiError, post } from '../api.ts';
import { FirstHitCheck, SnippetBox } from '../components/Snippet.tsx';
import { ErrorNote, Field, useAction } from '../components/ui.tsx';
import { invalidateDomains } from '../domains.ts';
import { browserZone, timeZones } from '../timezones.ts';
import type { Domain } from '../types.ts';

/** `https://www.Example.com/x` → `www.example.com`. */
export function cleanHostname(input: string): string {
  let host = input
    .trim()
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, '');
  host = host.split(/[/?#]/)[0] ?? '';
  host = host.replace(/:\d+$/, '');
  try {
    if (host) host = new URL(`http://${host}`).hostname;
  } catch {
    // Left as typed; the server explains what is wrong.
  }
  return host;
}

/** A subdomain suggestion from a host name: `www.my-site.co.uk` → `my-site-co-uk`. */
export function suggestSubdomain(hostname: string): string {
  const base = hostname.replace(/^www\./, '').replace(/[^a-z0-9-]+/g, '-');
  return base.replace(/^-+|-+$/g, '').slice(0, 63);
}

export function AddSite() {
  const [hostname, setHostname] = useState('');
  const [subdomain, setSubdomain] = useState('');
  const [subdomainTouched, setTouched] = useState(false);
  const [timezone, setTimezone] = useState(browserZone());
  const [created, setCreated] = useState<Domain | undefined>();
  const [busy, error, run] = useAction();
  const validation = error instanceof ApiError ? error.validation : {};

  if (created)
    return (
      <main class="page narrow">
        <h1>{created.hostname} is ready</h1>
        <section class="card">
          <SnippetBox domain={created} />
          <FirstHitCheck domain={created} />
          <div class="row">
            <a class="button primary" href={`/sites/${created.id}`}>
              Open the dashboard
            </a>
            <a class="button" href={`/sites/${created.id}/settings/general`}>
              Settings
            </a>
          </div>
        </section>
      </main>
    );

  return (
    <main class="page narrow">
      <h1>Add a site</h1>
      <form
        class="card"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            const domain = await post<Domain>('domain', {
              hostname: cleanHostname(hostname),
              subdomain: subdomain || suggestSubdomain(cleanHostname(hostname)),
              timezone,
            });
            invalidateDomains();
            setCreated(domain);
          });
        }}
      >
        <Field
          label="Hostname"
          required
          placeholder="example.com"
          value={hostname}
          error={validation.hostname}
          hint="The site's host name, without https:// or a path."
          onInput={(e) => {
            setHostname(e.currentTarget.value);
            if (!subdomainTouched)
              setSubdomain(suggestSubdomain(cleanHostname(e.currentTarget.value)));
          }}
        />
        <Field
          label="Subdomain"
          required
          pattern={'[a-z0-9\\-]+'}
          value={subdomain}
          error={validation.subdomain}
          hint="Names the public dashboard: /share/<subdomain>. Letters a–z, digits and hyphens."
          onInput={(e) => {
            setTouched(true);
            setSubdomain(e.currentTarget.value.toLowerCase());
          }}
        />
        <div class="field">
          <label for="tz">Time zone</label>
          <select id="tz" value={timezone} onChange={(e) => setTimezone(e.currentTarget.value)}>
            {timeZones().map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </select>
          {validation.timezone && <div class="field-error">{validation.timezone}</div>}
        </div>
        {Object.keys(validation).length === 0 && <ErrorNote error={error} />}
        <button class="button primary" disabled={busy}>
          Add site
        </button>
      </form>
    </main>
  );
}
