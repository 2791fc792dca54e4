import { readdir, readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { CarReader } from '@ipld/car'
import type { CID } from 'multiformats/cid'

const fixtureDir = fileURLToPath(new URL('../fixtures/gateway-conformance/', import.meta.url))

/** Root CIDs of the conformance fixtures, by what they are (see the fixtures' README). */
export const fixtures = {
  dirListing: 'bafybeig6ka5mlwkl4subqhaiatalkcleo4jgnr3hqwvpmsqfca27cijp3i',
  cache: 'bafybeib3ffl2teiqdncv3mkz4r23b5ctrwkzrrhctdbne6iboayxuxk5ui',
  rawBlock: 'bafybeie72edlprgtlwwctzljf6gkn2wnlrddqjbkxo3jomh4n7omwblxly',
  dagCbor: 'bafyreibs4utpgbn7uqegmd2goqz4bkyflre2ek2iwv743fhvylwi4zeeim',
  dagJson: 'baguqeeram5ujjqrwheyaty3w5gdsmoz6vittchvhk723jjqxk7hakxkd47xq',
  jsonCbor: 'bafybeiafyvqlazbbbtjnn6how5d6h6l6rxbqc4qgpbmteaiskjrffmyy4a',
  plainCbor: 'bafireif3aymeikgfbofx533yf5vlx4kimzq6zmzmpra2mnzfsfnmv4hchm',
  plainJson: 'bagaaierajjsnhsxqlgfrvknlt7z2heoljcgfv37cn45tu7mhmr23x3ekiboq',
  tarInside: 'bafybeibfevfxlvxp5vxobr5oapczpf7resxnleb7tkqmdorc4gl5cdva3y',
  tarOutside: 'bafybeicaj7kvxpcv4neaqzwhrqqmdstu4dhrwfpknrgebq6nzcecfucvyu',
  dirWithFiles: 'bafybeihchr7vmgjaasntayyatmp5sv6xza57iy2h4xj7g46bpjij6yhrmy',
  percentEncoded: 'bafybeig675grnxcmshiuzdaz2xalm6ef4thxxds6o6ypakpghm5kghpc34',
  symlink: 'QmWvY6FaqFMS89YAQ9NAPjVP4WZKA1qbHbicc9HeSKQTgt',
  dagCborWithLinks: 'bafybeia264q44a3kmfc2otctzu4egp2k235o3t7mslz2yjraymp4nv6asi',
  missingBlock: 'QmYhmPjhFjYFyaoiuNzYv8WGavpSRDwdHWe5B4M5du5Rtk',
  hamt: 'bafybeidbclfqleg2uojchspzd4bob56dqetqjsj27gy2cq3klkkgxtpn4i',
  mixedBlocks: 'bafybeidh6k2vzukelqtrjsmd4p52cpmltd2ufqrdtdg6yigi73in672fwu',
  twoFiles: 'bafybeietjm63oynimmv5yyqay33nui4y4wx6u3peezwetxgiwvfmelutzu',
} as const

/** Every fixture CAR's bytes. */
export async function fixtureCars(): Promise<Uint8Array[]> {
  const names = (await readdir(fixtureDir)).filter((name) => name.endsWith('.car'))
  return Promise.all(names.map((name) => readFile(`${fixtureDir}${name}`)))
}

/** Every block of every fixture, by CID string (CIDv0 and v1 spellings as in the CARs). */
export async function fixtureBlocks(): Promise<Map<string, { cid: CID; bytes: Uint8Array }>> {
  const blocks = new Map<string, { cid: CID; bytes: Uint8Array }>()
  for (const car of await fixtureCars()) {
    const reader = await CarReader.fromBytes(car)
    for await (const block of reader.blocks()) blocks.set(block.cid.toString(), block)
  }
  return blocks
}

/** The CAR's blocks as CID strings, in order (a CAR body under test). */
export async function carCids(bytes: Uint8Array): Promise<{ roots: string[]; blocks: string[] }> {
  const reader = await CarReader.fromBytes(bytes)
  const blocks: string[] = []
  for await (const block of reader.blocks()) blocks.push(block.cid.toString())
  return { roots: (await reader.getRoots()).map(String), blocks }
}
