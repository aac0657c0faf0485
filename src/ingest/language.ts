/** The visitor's language from `Accept-Language` (SEMANTICS.md §3.4, API.md I.6). */

// ISO 639-1 (the 183 current two-letter codes plus `bh`, still listed by many browsers' tables).
const ISO_639_1: ReadonlySet<string> = new Set(
  (
    'aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy ' +
    'da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu ' +
    'hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb ' +
    'lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om ' +
    'or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ' +
    'ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu'
  ).split(' '),
);

// Withdrawn codes that old Java and Android stacks still send, mapped to their replacements.
const WITHDRAWN: ReadonlyMap<string, string> = new Map([
  ['iw', 'he'],
  ['in', 'id'],
  ['ji', 'yi'],
  ['jw', 'jv'],
  ['mo', 'ro'],
]);

/** `fr-CH, fr;q=0.9` → `fr`: the first tag's primary subtag if it is an ISO 639-1 code, else `""`. */
export function languageOf(acceptLanguage: string): string {
  const first = acceptLanguage.split(';')[0]?.split(',')[0] ?? '';
  // `_` as separator (`en_US`) comes from hand-written clients; it cannot start a valid code anyway.
  const primary = (first.split(/[-_]/)[0] ?? '').trim().toLowerCase();
  const code = WITHDRAWN.get(primary) ?? primary;
  return ISO_639_1.has(code) ? code : '';
}
