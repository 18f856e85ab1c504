/** Hostile and malformed pushes: each is refused with a 4xx that says why, and leaves no trace in R2, D1 or KV. */
import { env, exports } from 'cloudflare:workers';
import { strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { authenticate } from '../src/auth';
import { isFailure } from '../src/problems';
import { multipartBoundary } from '../src/push/multipart';
import { parseWith } from './support/multipartParse';
import { buildNupkg, FEED, multipartBody, nuspecXml, pushRequest, TEST_API_KEY } from './support/nupkg';
import { PACKAGE_TABLES } from './support/feedView';

async function expectNothingStored(): Promise<void> {
  expect((await env.PACKAGES.list()).objects.map((o) => o.key)).toEqual([]);
  for (const table of PACKAGE_TABLES) {
    const row = await env.DB.prepare(`SELECT count(*) AS n FROM ${table}`).first<{ n: number }>();
    expect(row?.n, table).toBe(0);
  }
  expect((await env.PAGES.list()).keys).toEqual([]);
}

function rawPush(body: BodyInit | null, contentType: string | null): Request {
  const headers: Record<string, string> = { 'X-NuGet-ApiKey': TEST_API_KEY };
  if (contentType !== null) headers['Content-Type'] = contentType;
  return new Request(`${FEED}/api/v2/package/`, { method: 'PUT', headers, body });
}

function randomText(length: number): string {
  const bytes = new Uint8Array(length);
  for (let at = 0; at < length; at += 65536) crypto.getRandomValues(bytes.subarray(at, at + 65536));
  return Array.from(bytes, (b) => String.fromCharCode(97 + (b % 26))).join('');
}

const nuspecWithout = (element: string) =>
  nuspecXml({ id: 'Missing.Field', version: '1.0.0' }).replace(new RegExp(`<${element}>[^<]*</${element}>`), '');

const valid = buildNupkg({ id: 'Valid', version: '1.0.0' });

const cases: [name: string, request: () => Request, status: number, message: RegExp][] = [
  ['not a zip', () => pushRequest(strToU8(randomText(5000))), 400, /not a valid zip archive/],
  ['an empty package part', () => pushRequest(new Uint8Array(0)), 400, /not a valid zip archive/],
  ['a truncated zip', () => pushRequest(valid.slice(0, Math.floor(valid.length / 2))), 400, /not a valid zip archive/],
  [
    'a zip bomb nuspec',
    () => pushRequest(buildNupkg({ id: 'Bomb', version: '1.0.0', metadata: `<!--${' '.repeat(8 * 1024 * 1024)}-->` })),
    400,
    /Bomb\.nuspec' is larger than 1048576 bytes/,
  ],
  [
    'a nuspec over 1 MB',
    () => pushRequest(buildNupkg({ id: 'Huge', version: '1.0.0', metadata: `<!--${randomText(1_100_000)}-->` })),
    400,
    /Huge\.nuspec' is larger than 1048576 bytes/,
  ],
  [
    'a DOCTYPE / XXE nuspec',
    () =>
      pushRequest(
        buildNupkg({
          id: 'Xxe',
          version: '1.0.0',
          nuspec: `<?xml version="1.0"?><!DOCTYPE package [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<package><metadata><id>Xxe</id><version>1.0.0</version><authors>a</authors><description>&xxe;</description></metadata></package>`,
        }),
      ),
    400,
    /DOCTYPE or ENTITY/,
  ],
  [
    'two nuspecs',
    () =>
      pushRequest(
        buildNupkg({
          id: 'Two',
          version: '1.0.0',
          files: { 'Other.nuspec': nuspecXml({ id: 'Other', version: '1.0.0' }) },
        }),
      ),
    400,
    /more than one \.nuspec/,
  ],
  [
    'a nuspec not at the root',
    () => pushRequest(buildNupkg({ id: 'Deep', version: '1.0.0', nuspecName: 'content/Deep.nuspec' })),
    400,
    /no \.nuspec file at its root/,
  ],
  [
    "a '..' entry",
    () => pushRequest(buildNupkg({ id: 'Escape', version: '1.0.0', files: { 'lib/../../evil.dll': 'x' } })),
    400,
    /escapes the package root/,
  ],
  [
    'an absolute entry name',
    () => pushRequest(buildNupkg({ id: 'Absolute', version: '1.0.0', files: { '/etc/evil': 'x' } })),
    400,
    /absolute path/,
  ],
  [
    'an invalid id',
    () => pushRequest(buildNupkg({ id: 'Bad..Id', version: '1.0.0', nuspecName: 'bad.nuspec' })),
    400,
    /package id 'Bad\.\.Id' is not valid/,
  ],
  [
    'an id over 100 characters',
    () => pushRequest(buildNupkg({ id: 'A'.repeat(101), version: '1.0.0' })),
    400,
    /must not exceed 100 characters/,
  ],
  [
    'an invalid version',
    () => pushRequest(buildNupkg({ id: 'BadVersion', version: '1.0.0-beta..1' })),
    400,
    /not a valid NuGet version/,
  ],
  [
    'a floating dependency range',
    () =>
      pushRequest(
        buildNupkg({
          id: 'Floating',
          version: '1.0.0',
          metadata: '<dependencies><dependency id="Other" version="1.*" /></dependencies>',
        }),
      ),
    400,
    /floating range '1\.\*'/,
  ],
  ...(['id', 'version', 'authors', 'description'] as const).map((element): [string, () => Request, number, RegExp] => [
    `a nuspec without <${element}>`,
    () => pushRequest(buildNupkg({ id: 'Missing.Field', version: '1.0.0', nuspec: nuspecWithout(element) })),
    400,
    new RegExp(`missing the required <${element}>`),
  ]),
  [
    'a readme the package lacks',
    () => pushRequest(buildNupkg({ id: 'NoReadme', version: '1.0.0', metadata: '<readme>docs/README.md</readme>' })),
    400,
    /names the readme file 'docs\/README\.md', but the package does not contain it/,
  ],
  [
    'an icon the package lacks',
    () => pushRequest(buildNupkg({ id: 'NoIcon', version: '1.0.0', metadata: '<icon>icon.png</icon>' })),
    400,
    /names the icon file 'icon\.png', but the package does not contain it/,
  ],
  [
    'a license file the package lacks',
    () =>
      pushRequest(
        buildNupkg({ id: 'NoLicense', version: '1.0.0', metadata: '<license type="file">LICENSE.txt</license>' }),
      ),
    400,
    /names the license file 'LICENSE\.txt'/,
  ],
  [
    'a symbol package pushed as a package',
    () =>
      pushRequest(
        buildNupkg({
          id: 'Symbols',
          version: '1.0.0',
          metadata: '<packageTypes><packageType name="SymbolsPackage" /></packageTypes>',
        }),
      ),
    400,
    /symbol package endpoint/,
  ],
  [
    'a body that is not multipart',
    () => rawPush(valid, 'application/octet-stream'),
    400,
    /Expected multipart\/form-data/,
  ],
  ['no Content-Type', () => rawPush(valid, null), 400, /Expected multipart\/form-data/],
  ['multipart without a boundary', () => rawPush(valid, 'multipart/form-data'), 400, /Expected multipart\/form-data/],
  [
    'multipart without any part',
    () => rawPush('--b--\r\n', 'multipart/form-data; boundary=b'),
    400,
    /Expected multipart\/form-data/,
  ],
  [
    'multipart whose boundary never appears',
    () => rawPush(valid, 'multipart/form-data; boundary=b'),
    400,
    /Expected multipart\/form-data/,
  ],
  [
    'multipart cut off inside the package part',
    () => rawPush(multipartBody(valid).body.slice(0, -10), multipartBody(valid).contentType),
    400,
    /ended inside the package part/,
  ],
  [
    'a body without a body',
    () => rawPush(null, multipartBody(valid).contentType),
    400,
    /Expected multipart\/form-data/,
  ],
];

describe('hostile pushes', () => {
  it.each(cases)('refuses %s', async (_name, request, status, message) => {
    const response = await exports.default.fetch(request());
    expect(response.status, response.statusText).toBe(status);
    expect(response.headers.get('X-NuGet-Warning')).toMatch(message);
    expect(response.statusText).toBe(response.headers.get('X-NuGet-Warning'));
    await expectNothingStored();
  });

  it('refuses admin actions when the feed has no admin key configured', async () => {
    expect(await authenticate(pushRequest(valid), { NUGET_API_KEY: undefined })).toEqual({
      failure: 'unauthorized',
      message: 'This feed has no admin key configured (NUGET_API_KEY), so its admin actions are refused.',
    });
    expect(await authenticate(pushRequest(valid, { apiKey: null }), { NUGET_API_KEY: '' })).toMatchObject({
      failure: 'unauthorized',
    });
    expect(await authenticate(pushRequest(valid), env)).toBeNull();
  });
});

describe('the multipart parser', () => {
  const boundary = 'XyZ-42';
  const content = strToU8(`binary\r\n--XyZ-4 not quite\r\n--XyZ\r\n-- and more\r\r\n\n`);
  const body = strToU8(
    `preamble to ignore\r\n--${boundary}\r\nContent-Disposition: form-data; name=package\r\n\r\n` +
      new TextDecoder().decode(content) +
      `\r\n--${boundary}\r\nContent-Disposition: form-data; name=other\r\n\r\nignored\r\n--${boundary}--\r\n`,
  );

  const parse = (chunks: Uint8Array[]) => parseWith(boundary, chunks);

  it('yields the first part however the body is split', () => {
    for (let split = 0; split <= body.length; split++) {
      expect(parse([body.slice(0, split), body.slice(split)])).toEqual(content);
    }
    expect(parse(Array.from(body, (byte) => new Uint8Array([byte])))).toEqual(content);
  });

  it('takes a part without headers and a body starting with its delimiter', () => {
    expect(parse([strToU8(`--${boundary}\r\n\r\nabc\r\n--${boundary}--`)])).toEqual(strToU8('abc'));
  });

  it('refuses a flood of header bytes', () => {
    expect(parse([strToU8(`--${boundary}\r\nX-Pad: ${'a'.repeat(100_000)}`)])).toMatch(/Expected multipart/);
  });

  it('reads quoted and unquoted boundaries', () => {
    expect(multipartBoundary('multipart/form-data; boundary="a b;c"')).toBe('a b;c');
    expect(multipartBoundary('multipart/form-data; boundary="7d3c1e5a-2b4f"; x=y')).toBe('7d3c1e5a-2b4f');
    expect(multipartBoundary('Multipart/Form-Data; charset=utf-8; BOUNDARY=abc')).toBe('abc');
    expect(isFailure(multipartBoundary('multipart/mixed; boundary=abc'))).toBe(true);
    expect(isFailure(multipartBoundary('multipart/form-data; boundary=""'))).toBe(true);
  });
});
