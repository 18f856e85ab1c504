/**
 * Checks one id's registration paging over HTTP (protocol §4.7): with more than 127 versions the
 * index holds ceil(n/64) stubs (no items); each stub's page document resolves, holds `count`
 * leaves, and its first/last leaf versions equal the stub's lower/upper; pages are in order and
 * cover the flat container's version list exactly.
 */
const LEAVES_PER_PAGE = 64;

async function json(url) {
  const t0 = performance.now();
  const response = await fetch(url, { headers: { 'Accept-Encoding': 'gzip' } });
  const body = response.ok ? await response.json() : null;
  return { status: response.status, body, ms: performance.now() - t0 };
}

export async function checkPaging(origin, lowerId, hive = 'registration-gz-semver2') {
  const problems = [];
  const flat = await json(`${origin}/v3/flat/${lowerId}/index.json`);
  const versions = flat.body?.versions ?? [];
  const index = await json(`${origin}/v3/${hive}/${lowerId}/index.json`);
  if (!index.body) return { problems: [`index answered ${index.status}`], versions: versions.length };
  const stubs = index.body.items;
  const expectedPages = Math.ceil(versions.length / LEAVES_PER_PAGE);
  if (index.body.count !== stubs.length) problems.push(`index count ${index.body.count} != ${stubs.length} items`);
  if (stubs.length !== expectedPages)
    problems.push(`${stubs.length} pages, expected ceil(${versions.length}/64) = ${expectedPages}`);
  const pageMs = [];
  const seen = [];
  for (const [i, stub] of stubs.entries()) {
    if (stub.items) problems.push(`page ${i} is inlined, expected a stub`);
    const page = await json(stub['@id']);
    pageMs.push(page.ms);
    if (!page.body) {
      problems.push(`page ${i} (${stub.lower}..${stub.upper}) answered ${page.status}`);
      continue;
    }
    const items = page.body.items ?? [];
    const first = items[0]?.catalogEntry.version.toLowerCase();
    const last = items.at(-1)?.catalogEntry.version.toLowerCase();
    if (items.length !== stub.count) problems.push(`page ${i}: ${items.length} leaves, stub count ${stub.count}`);
    if (i < stubs.length - 1 && items.length !== LEAVES_PER_PAGE)
      problems.push(`page ${i}: ${items.length} leaves, not 64`);
    if (first !== stub.lower.toLowerCase() || last !== stub.upper.toLowerCase()) {
      problems.push(`page ${i}: leaves ${first}..${last}, stub says ${stub.lower}..${stub.upper}`);
    }
    seen.push(...items.map((item) => item.catalogEntry.version.toLowerCase()));
  }
  if (seen.join() !== versions.join())
    problems.push('the pages do not list the flat container versions in the same order');
  const middle = versions[Math.floor(versions.length / 2)];
  const leaf = middle ? await json(`${origin}/v3/${hive}/${lowerId}/${middle}.json`) : { status: 'n/a' };
  if (leaf.status !== 200) problems.push(`leaf ${middle} answered ${leaf.status}`);
  pageMs.sort((a, b) => a - b);
  return {
    problems,
    versions: versions.length,
    pages: stubs.length,
    expectedPages,
    indexMs: index.ms,
    pageP50: pageMs[Math.floor(pageMs.length / 2)],
    pageMax: pageMs.at(-1),
  };
}
