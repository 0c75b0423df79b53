// Checks before any request: the server URL, the authorization value, QIDO filters and dates, UIDs; and the
// redaction of the secret from text a server sends back.

import { describe, expect, it } from 'vitest';
import { checkConnection, redactSecret } from './connection.js';
import { checkDicomDate, checkUid, seriesQuery } from './qido.js';

describe('checkConnection', () => {
  it.each([
    ['http://127.0.0.1:8042/dicom-web/', 'http://127.0.0.1:8042/dicom-web'],
    ['https://pacs.example.org/dicom-web', 'https://pacs.example.org/dicom-web'],
  ])('accepts %s', (url, root) => {
    expect(checkConnection({ url })).toBe(root);
  });

  it.each([
    ['ftp://pacs/dicom-web', /http:\/\/ or https:\/\//],
    ['pacs:8042/dicom-web', /http:\/\/ or https:\/\//],
    ['not a url', /not a URL/],
    ['http://pacs/dicom-web?token=abc', /without a query/],
  ])('refuses %s in words', (url, message) => {
    expect(() => checkConnection({ url })).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT', message: expect.stringMatching(message) }));
  });

  it('refuses credentials in the URL without repeating the password', () => {
    let message = '';
    try {
      checkConnection({ url: 'http://alice:hunter22@pacs/dicom-web' });
    } catch (e) {
      expect(e).toMatchObject({ code: 'BAD_ARGUMENT' });
      message = (e as Error).message;
    }
    expect(message).toMatch(/authorization header/);
    expect(message).not.toContain('hunter22');
    expect(message).not.toContain('alice');
  });

  it('refuses an authorization value that is empty or spans lines, without repeating it', () => {
    expect(() => checkConnection({ url: 'http://pacs', authorization: ' ' })).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT' }));
    expect(() => checkConnection({ url: 'http://pacs', authorization: 'Bearer s3cret\r\nX: y' })).toThrow(
      expect.objectContaining({ code: 'BAD_ARGUMENT', message: expect.not.stringContaining('s3cret') }),
    );
  });

  it('redacts the secret and its credential part from server text', () => {
    const conn = { url: 'http://pacs', authorization: 'Bearer s3cret-token' };
    expect(redactSecret(conn, 'got Bearer s3cret-token and s3cret-token')).toBe('got [authorization] and [authorization]');
    expect(redactSecret({ url: 'http://pacs' }, 'nothing')).toBe('nothing');
  });
});

describe('QIDO query checks', () => {
  it('maps filters and since to matching parameters', () => {
    expect(seriesQuery({ filter: { Modality: 'MR', SeriesDescription: 't1*' }, since: '20240229' }).toString()).toBe(
      'Modality=MR&SeriesDescription=t1*&StudyDate=20240229-',
    );
  });

  it.each([['modality'], ['Modality2'], ['limit'], ['0008,0060'], ['Study Date'], ['']])('refuses the filter key %j', (key) => {
    expect(() => seriesQuery({ filter: { [key]: 'x' } })).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT', message: expect.stringMatching(/DICOM keyword/) }));
  });

  it('refuses an empty filter value and since together with a StudyDate filter', () => {
    expect(() => seriesQuery({ filter: { Modality: '' } })).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT' }));
    expect(() => seriesQuery({ filter: { StudyDate: '2020' }, since: '20200101' })).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT' }));
  });

  it.each([['2024-01-01'], ['20240230'], ['20231301'], ['2024010'], ['yesterday']])('refuses the date %s', (date) => {
    expect(() => checkDicomDate(date)).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT', message: expect.stringMatching(/YYYYMMDD/) }));
  });

  it('accepts real dates, leap days included', () => {
    expect(() => checkDicomDate('20240229')).not.toThrow();
    expect(() => checkDicomDate('19000101')).not.toThrow();
  });

  it.each([['1.2.3'], ['1.3.12.2.1107.5.2.32.35389.2010072308581490237297697.0.0.0']])('accepts the UID %s', (uid) => {
    expect(() => checkUid(uid, 'uid')).not.toThrow();
  });

  it.each([['1.2.3/../x'], ['1..2'], ['abc'], ['1.' + '2'.repeat(70)]])('refuses the UID %s', (uid) => {
    expect(() => checkUid(uid, 'uid')).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT' }));
  });
});
