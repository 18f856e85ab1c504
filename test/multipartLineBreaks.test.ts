/** Issue 11 item 1: `paket push` ends the package part with a bare LF; LF is accepted wherever multipart has a line break. */
import { env, exports } from 'cloudflare:workers';
import { strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseWith } from './support/multipartParse';
import { buildNupkg, FEED, TEST_API_KEY } from './support/nupkg';

describe('bare LF line breaks (issue 11: Paket)', () => {
  /** Exactly what Paket's UploadFileAsMultipart writes on Linux (src/Paket.Core/Common/NetUtils.fs, Environment.NewLine = LF). */
  function paketBody(bytes: Uint8Array, boundary: string): Uint8Array {
    const head = strToU8(
      `--${boundary}\r\nContent-Disposition: form-data; name="package"; filename="package"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    );
    const tail = strToU8(`\n--${boundary}--\n`);
    return new Uint8Array([...head, ...bytes, ...tail]);
  }

  it('accepts the body Paket sends, and stores the package byte for byte', async () => {
    const boundary = `---------------------------${(638_700_000_000_000_000n).toString(16)}`;
    const bytes = buildNupkg({ id: 'Paket.Pushed', version: '1.0.0' });
    const request = new Request(`${FEED}/api/v2/package/`, {
      method: 'PUT',
      headers: { 'X-NuGet-ApiKey': TEST_API_KEY, 'Content-Type': `multipart/form-data; boundary=${boundary}` },
      body: paketBody(bytes, boundary),
    });
    const response = await exports.default.fetch(request);
    expect(response.status, response.statusText).toBe(201);
    const stored = await env.PACKAGES.get('packages/paket.pushed/1.0.0/paket.pushed.1.0.0.nupkg');
    expect(new Uint8Array(await stored!.arrayBuffer())).toEqual(bytes);
  });

  const parse = parseWith;

  it('accepts LF wherever the grammar has a line break, however the body is split', () => {
    const content = strToU8('PK\r\n--b not it\n--bb- nor this\n--bbX\rY');
    for (const body of [
      `pre\n--bb\nContent-Type: x\n\n${new TextDecoder().decode(content)}\n--bb--\n`,
      `--bb \t\r\nContent-Type: x\n\r\n${new TextDecoder().decode(content)}\n--bb\nX: y\n\nlater\n--bb--`,
      `--bb\n\n${new TextDecoder().decode(content)}\r\n--bb--`,
      `--bb\n\n${new TextDecoder().decode(content)}\n--bb`,
    ]) {
      const bytes = strToU8(body);
      for (let split = 0; split <= bytes.length; split++) {
        expect(parse('bb', [bytes.slice(0, split), bytes.slice(split)]), `${JSON.stringify(body)} @${split}`).toEqual(
          content,
        );
      }
      expect(
        parse(
          'bb',
          Array.from(bytes, (byte) => new Uint8Array([byte])),
        ),
      ).toEqual(content);
    }
  });

  it('never takes package bytes for a delimiter: one needs a line break before it and `--` or a line break after', () => {
    const content = strToU8('a--bb\r\nb\n--bbc\n--bb-x\n--bb \tz');
    expect(parse('bb', [strToU8(`--bb\r\n\r\n${new TextDecoder().decode(content)}\r\n--bb--\r\n`)])).toEqual(content);
    expect(parse('bb', [strToU8('--bb\n\nabc\n--bbc')])).toMatch(/ended inside the package part/);
  });
});
