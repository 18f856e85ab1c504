/**
 * A loopback OpenID Connect issuer shaped like GitHub Actions' (token.actions.githubusercontent.com), for the
 * trusted publishing tests: it publishes its discovery document and JWKS, mints RS256 JWTs with GitHub's claim
 * set, and plays the runner's ID-token request endpoint (ACTIONS_ID_TOKEN_REQUEST_URL / _TOKEN), so a login step
 * can run unchanged. Only for tests: it listens on 127.0.0.1, on a free port.
 */
import { createHash, generateKeyPairSync, randomBytes, randomUUID, sign } from 'node:crypto';
import { createServer } from 'node:http';

/**
 * @typedef {Record<string, unknown>} Claims JWT claims; a claim set to `undefined` is left out of the token.
 */

/**
 * @typedef {object} MintOptions
 * @property {boolean} [badSignature] Flip a bit of the signature (the token no longer verifies).
 * @property {boolean} [algNone] An unsigned token: header `alg: none`, empty signature part.
 * @property {string} [kid] The header's kid instead of the current key's (e.g. one the JWKS does not list).
 * @property {Record<string, unknown>} [header] More header fields, or replacements (e.g. `{ alg: 'HS256' }`).
 * @property {readonly string[]} [omit] Claims to leave out (e.g. `['jti', 'repository_id']`).
 */

/**
 * @typedef {object} Issuer
 * @property {string} issuer The base URL, `http://127.0.0.1:<port>`: the `iss` of its tokens and the discovery root.
 * @property {string} jwksUri `{issuer}/.well-known/jwks`.
 * @property {string} kid The kid of the current signing key.
 * @property {(claims?: Claims, options?: MintOptions) => string} mint A compact JWS (header.payload.signature).
 * @property {string} tokenRequestUrl What a runner puts in ACTIONS_ID_TOKEN_REQUEST_URL: already carries
 *   `?api-version=2.0`, since clients append `&audience=…`.
 * @property {string} tokenRequestToken What a runner puts in ACTIONS_ID_TOKEN_REQUEST_TOKEN.
 * @property {Claims} tokenClaims Claims given to every token the request endpoint mints (mutable; its `aud`
 *   is replaced by the `audience` query parameter when present).
 * @property {string[]} minted Every token the request endpoint handed out, oldest first.
 * @property {string[]} requests Every request served, as `METHOD /path?query`, oldest first.
 * @property {(options?: { keepOld?: boolean }) => string} rotate A new key pair with a new kid (returned); the
 *   JWKS then lists only the new key, or both with `keepOld`.
 * @property {() => Promise<void>} stop
 */

const b64url = (/** @type {string | Buffer} */ data) => Buffer.from(data).toString('base64url');

function newKey() {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' });
  // A kid derived from the key, the way many issuers (GitHub included) use a thumbprint-like id.
  const kid = createHash('sha256').update(`${jwk.n}.${jwk.e}`).digest('hex').slice(0, 32);
  return { kid, privateKey, jwk: { kty: 'RSA', n: jwk.n, e: jwk.e, kid, alg: 'RS256', use: 'sig' } };
}

/**
 * The default claim set of a GitHub Actions token for a push to main of `o/r` running `release.yml`;
 * `repository`, `ref`, `iat` and `aud` given in `claims` also shape the claims derived from them.
 * @param {string} iss
 * @param {Claims} claims
 * @returns {Claims}
 */
function githubClaims(iss, claims) {
  const repository = typeof claims.repository === 'string' ? claims.repository : 'o/r';
  const owner = typeof claims.repository_owner === 'string' ? claims.repository_owner : repository.split('/')[0];
  const ref = typeof claims.ref === 'string' ? claims.ref : 'refs/heads/main';
  const iat = typeof claims.iat === 'number' ? claims.iat : Math.floor(Date.now() / 1000);
  const workflowRef = `${repository}/.github/workflows/release.yml@${ref}`;
  const sha = randomBytes(20).toString('hex');
  return {
    jti: randomUUID(),
    sub: `repo:${repository}:ref:${ref}`,
    // GitHub's own default audience when the request names none.
    aud: `https://github.com/${owner}`,
    ref,
    sha,
    repository,
    repository_owner: owner,
    repository_owner_id: '1001',
    repository_id: '2002',
    repository_visibility: 'public',
    run_id: String(1_000_000 + Math.floor(Math.random() * 1_000_000)),
    run_number: '7',
    run_attempt: '1',
    actor: 'octocat',
    actor_id: '583231',
    workflow: 'Release',
    workflow_ref: workflowRef,
    workflow_sha: sha,
    job_workflow_ref: workflowRef,
    job_workflow_sha: sha,
    event_name: 'push',
    ref_type: 'branch',
    runner_environment: 'github-hosted',
    iss,
    nbf: iat - 300,
    exp: iat + 300,
    iat,
    ...claims,
  };
}

/**
 * Starts the issuer on 127.0.0.1 (a free port).
 * @param {{ tokenClaims?: Claims }} [options]
 * @returns {Promise<Issuer>}
 */
export async function startIssuer(options = {}) {
  let current = newKey();
  /** @type {ReturnType<typeof newKey>[]} */
  let published = [current];
  const tokenRequestToken = `request-${randomBytes(16).toString('hex')}`;
  /** @type {string[]} */
  const requests = [];
  /** @type {string[]} */
  const minted = [];
  let base = '';

  /** @type {Issuer['mint']} */
  const mint = (claims = {}, mintOptions = {}) => {
    const payload = githubClaims(base, claims);
    for (const name of mintOptions.omit ?? []) delete payload[name];
    const header = mintOptions.algNone
      ? { alg: 'none', typ: 'JWT', ...mintOptions.header }
      : { alg: 'RS256', typ: 'JWT', kid: mintOptions.kid ?? current.kid, ...mintOptions.header };
    const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
    if (mintOptions.algNone) return `${signingInput}.`;
    const signature = sign('sha256', Buffer.from(signingInput), current.privateKey);
    if (mintOptions.badSignature) signature[signature.length - 1] = (signature[signature.length - 1] ?? 0) ^ 1;
    return `${signingInput}.${b64url(signature)}`;
  };

  /**
   * @param {import('node:http').ServerResponse} response
   * @param {number} status
   * @param {unknown} body
   */
  const json = (response, status, body) => {
    const text = JSON.stringify(body);
    response.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
    });
    response.end(text);
  };

  const issuer = {
    issuer: '',
    jwksUri: '',
    get kid() {
      return current.kid;
    },
    mint,
    tokenRequestUrl: '',
    tokenRequestToken,
    tokenClaims: options.tokenClaims ?? {},
    minted,
    requests,
    rotate({ keepOld = false } = {}) {
      current = newKey();
      published = keepOld ? [...published, current] : [current];
      return current.kid;
    },
    stop: async () => {},
  };

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', base);
    requests.push(`${request.method} ${url.pathname}${url.search}`);
    if (request.method !== 'GET') return json(response, 405, { message: 'Method not allowed' });
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(response, 200, {
        issuer: base,
        jwks_uri: `${base}/.well-known/jwks`,
        subject_types_supported: ['public', 'pairwise'],
        response_types_supported: ['id_token'],
        id_token_signing_alg_values_supported: ['RS256'],
        claims_supported: ['sub', 'aud', 'exp', 'iat', 'iss', 'jti', 'nbf', 'ref', 'repository', 'repository_id'],
        scopes_supported: ['openid'],
      });
    }
    if (url.pathname === '/.well-known/jwks') return json(response, 200, { keys: published.map((key) => key.jwk) });
    if (url.pathname === '/token') {
      if (request.headers.authorization !== `Bearer ${tokenRequestToken}`) {
        return json(response, 401, { message: 'Bad credentials' });
      }
      const audience = url.searchParams.get('audience');
      const value = mint({ ...issuer.tokenClaims, ...(audience ? { aud: audience } : {}) });
      minted.push(value);
      return json(response, 200, { count: 1, value });
    }
    return json(response, 404, { message: 'Not found' });
  });
  await new Promise((listening, failed) => {
    server.once('error', failed);
    server.listen(0, '127.0.0.1', () => listening(undefined));
  });
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  issuer.issuer = base;
  issuer.jwksUri = `${base}/.well-known/jwks`;
  issuer.tokenRequestUrl = `${base}/token?api-version=2.0`;
  issuer.stop = () =>
    new Promise((closed) => {
      server.closeAllConnections();
      server.close(() => closed(undefined));
    });
  return issuer;
}
