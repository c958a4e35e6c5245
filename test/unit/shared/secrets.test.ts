// The redactor every output passes (agent/shared/secrets.ts): remembered values, key material, the patterns
// that need no memory, and documents redacted string by string.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { forgetSecrets, redactDeep, redactSecrets, redactWith, rememberKeyMaterial, rememberSecret } from '../../../agent/shared/index.ts';

afterEach(() => forgetSecrets());

describe('redactWith (pure)', () => {
  it('replaces each known value, the longest first, and leaves other text alone', () => {
    assert.equal(redactWith('a Bearer tok-123456 b tok-123456 c', ['Bearer tok-123456', 'tok-123456']), 'a <redacted> b <redacted> c');
    assert.equal(redactWith('nothing secret here', ['tok-123456']), 'nothing secret here');
  });

  it('needs no memory for URL passwords, PEM private keys and bearer tokens', () => {
    const text = 'to https://user:hunter22@host/v1 with Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2ln ' +
      '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIB\n-----END EC PRIVATE KEY----- done';
    const out = redactWith(text, []);
    assert.equal(out, 'to https://<redacted>@host/v1 with Authorization: Bearer <redacted> -----BEGIN EC PRIVATE KEY----- <redacted> -----END EC PRIVATE KEY----- done');
    assert.equal(redactWith(out, []), out, 'idempotent: <redacted> is not taken for a token');
    assert.equal(redactWith('mail admin@example.org; Bearer tokens expire', []), 'mail admin@example.org; Bearer tokens expire');
    assert.equal(redactWith('Bearer abcdefghijklmnopqrstuvwxyz', []), 'Bearer <redacted>');
  });
});

describe('the remembered secrets', () => {
  it('a header value and its parts', () => {
    rememberSecret('Bearer s3cret-token-42');
    assert.equal(redactSecrets('sent s3cret-token-42 and Bearer s3cret-token-42'), 'sent <redacted> and <redacted>');
    assert.equal(redactSecrets('Bearer tokens are short-lived'), 'Bearer tokens are short-lived', '"Bearer" alone is no secret');
  });

  it('also as JSON quotes it', () => {
    rememberSecret('pa"ss\\word-7');
    assert.equal(redactSecrets(JSON.stringify({ h: 'pa"ss\\word-7' })), '{"h":"<redacted>"}');
    assert.equal(redactSecrets('raw pa"ss\\word-7'), 'raw <redacted>');
  });

  it('a PEM key file: each line of its body, wherever it is quoted, but not its armor', () => {
    const pem = generateKeyPairSync('ec', { namedCurve: 'prime256v1', privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).privateKey;
    rememberKeyMaterial(pem);
    const body = pem.split('\n').filter((l) => l !== '' && !l.startsWith('-----'));
    assert.ok(body.length >= 2);
    for (const line of body) assert.equal(redactSecrets(`parse failed near ${line}!`), 'parse failed near <redacted>!');
    assert.equal(redactSecrets('-----BEGIN PUBLIC KEY----- is not secret'), '-----BEGIN PUBLIC KEY----- is not secret');
  });

  it('a key file that is no PEM: its content', () => {
    rememberKeyMaterial('raw-key-material-0001\r\n');
    assert.equal(redactSecrets('bad key raw-key-material-0001'), 'bad key <redacted>');
  });
});

describe('redactDeep', () => {
  it('redacts every string of a document, nested, and keeps its shape, keys and other values', () => {
    const doc = { a: 'x tok-123456', n: 3, none: null, list: ['tok-123456', { deep: 'tok-123456!' }], ok: true };
    assert.deepEqual(redactDeep(doc, (t) => redactWith(t, ['tok-123456'])), {
      a: 'x <redacted>', n: 3, none: null, list: ['<redacted>', { deep: '<redacted>!' }], ok: true,
    });
    assert.equal(doc.a, 'x tok-123456', 'the original is untouched');
  });
});
