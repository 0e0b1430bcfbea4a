// ncc minifies dist/index.js but not the chunks it splits off for lazy imports (the YAML and ASN.1
// parsers, loaded only when an object input or a CSR is given). This minifies those too.
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { minify } from 'terser'

const dist = new URL('../dist/', import.meta.url)
for (const name of await readdir(dist)) {
  if (!/^\d+\.index\.js$/.test(name)) continue
  const file = new URL(name, dist)
  const result = await minify(await readFile(file, 'utf8'), { module: true, ecma: 2020 })
  if (result.code === undefined) throw new Error(`terser produced nothing for ${name}`)
  await writeFile(file, result.code)
}
