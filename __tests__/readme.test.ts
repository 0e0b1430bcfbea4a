import { describe, expect, it } from 'vitest'
import { renderReadme } from '../scripts/action-tables.js'

describe('the README', () => {
  it('lists exactly the inputs and outputs of action.yml (run `npm run docs` to update)', async () => {
    const { current, wanted } = await renderReadme(new URL('../', import.meta.url))
    expect(current).toBe(wanted)
  })
})
