import { describe, expect, it } from 'vitest'
import { fileContentType } from './content-type.js'
import { sniffContentType } from './sniff.js'

const bytes = (text: string) => new TextEncoder().encode(text)

describe('fileContentType', () => {
  it('uses the extension first', () => {
    expect(fileContentType({ name: 'a.txt', head: bytes('{}'), complete: true })).toBe('text/plain')
    expect(fileContentType({ name: 'logo.svg', head: bytes('<svg/>'), complete: true })).toBe(
      'image/svg+xml',
    )
    expect(fileContentType({ name: 'x.json', head: bytes('nope'), complete: true })).toBe(
      'application/json',
    )
    expect(fileContentType({ name: 'index.html', head: bytes(''), complete: true })).toBe(
      'text/html',
    )
  })

  it('sniffs when the name says nothing', () => {
    const png = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0)
    expect(fileContentType({ name: 'picture', head: png, complete: false })).toBe('image/png')
    expect(
      fileContentType({ name: undefined, head: bytes('  <!DOCTYPE html><p>'), complete: true }),
    ).toBe('text/html')
  })
})

describe('sniffContentType', () => {
  it('tells text from binary and recognises whole JSON documents', () => {
    expect(sniffContentType(bytes('hello world\n'), true)).toBe('text/plain; charset=utf-8')
    expect(sniffContentType(Uint8Array.of(1, 2, 3, 0xff), true)).toBe('application/octet-stream')
    expect(sniffContentType(bytes('{ "a": [1, 2] }\n'), true)).toBe('application/json')
    // A JSON-looking head of a longer file cannot be checked: it is text.
    expect(sniffContentType(bytes('{ "a": [1, '), false)).toBe('text/plain; charset=utf-8')
    expect(sniffContentType(bytes('%PDF-1.7'), false)).toBe('application/pdf')
    expect(sniffContentType(bytes('<?xml version="1.0"?>'), false)).toBe('text/xml')
    expect(sniffContentType(Uint8Array.of(0xff, 0xd8, 0xff, 0xe0), false)).toBe('image/jpeg')
  })
})
