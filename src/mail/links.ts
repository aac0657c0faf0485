/** Links into the dashboard (`web/`: a site's dashboard is `/sites/<id>`, filters in the query). */

/** The dashboard of a domain with query parameters such as `from`, `to` or `pattern`. */
export function dashboardUrl(
  baseUrl: string,
  domainId: string,
  params: Record<string, string> = {},
): string {
  const url = new URL(`${baseUrl}/sites/${encodeURIComponent(domainId)}`);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}
