import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { badPatterns, hostAllowed } from './allow-list.ts';

describe('hostAllowed', () => {
  const allowed = (url: string, ...p: string[]): boolean => hostAllowed(new URL(url), p);

  it('allows exact hosts and wildcard subdomains', () => {
    assert.equal(allowed('http://127.0.0.1:8080/x', '127.0.0.1'), true);
    assert.equal(allowed('https://app.test.example.com/', '*.test.example.com'), true);
    assert.equal(allowed('https://a.b.test.example.com/', '*.test.example.com'), true);
    assert.equal(allowed('http://[::1]:80/', '::1'), false);
    assert.equal(allowed('http://[::1]:80/', '[::1]'), true);
  });

  it('refuses everything else, including look-alike hosts', () => {
    assert.equal(allowed('https://test.example.com/', '*.test.example.com'), false);
    assert.equal(allowed('https://app.example.com/', '*.test.example.com'), false);
    assert.equal(allowed('https://evil-test.example.com/', '*.test.example.com'), false);
    assert.equal(allowed('https://prod.example.com/'), false);
    assert.equal(allowed('http://localhost.evil.com/', 'localhost'), false);
  });

  it('checks the port when a pattern names one', () => {
    assert.equal(allowed('http://localhost:8080/', 'localhost:8080'), true);
    assert.equal(allowed('http://localhost:9090/', 'localhost:8080'), false);
    assert.equal(allowed('https://localhost/', 'localhost:443'), true);
  });

  it('allows everything only with an explicit "*"', () => {
    assert.equal(allowed('https://prod.example.com/', '*'), true);
  });
});

describe('badPatterns', () => {
  it('names patterns that cannot match a host', () => {
    assert.deepEqual(badPatterns(['localhost', '*.test.example', '127.0.0.1:8080', '*', 'http://x', 'a b', '*x.com']), ['http://x', 'a b', '*x.com']);
  });
});
