/**
 * The dry run's listing: whatever order the walk meets entries in (the native walker visits a few
 * directories at once), the first LIST_LIMIT children by name are named with complete counts, and
 * everything else is counted exactly once.
 */
import fc from 'fast-check'
import { LIST_LIMIT, ListingBuilder } from '../../src/engine/listing.js'

type Event = { kind: 'leaf'; rel: string; size: number } | { kind: 'dir'; rel: string; stays: boolean }

/** A target with `n` children: files, and directories holding a few files (some keep something). */
function tree(n: number, seed: number): Event[] {
  const events: Event[] = []
  for (let i = 0; i < n; i++) {
    const name = `t/c${String((i * 7919 + seed) % n).padStart(5, '0')}`
    if (i % 7 === 1) {
      // An empty directory: its only event is its own end.
      events.push({ kind: 'dir', rel: name, stays: false })
    } else if (i % 3 === 0) {
      for (let j = 0; j < (i % 4) + 1; j++) events.push({ kind: 'leaf', rel: `${name}/f${j}`, size: j + 1 })
      events.push({ kind: 'dir', rel: `${name}/sub`, stays: false })
      events.push({ kind: 'dir', rel: name, stays: i % 5 === 0 })
    } else {
      events.push({ kind: 'leaf', rel: name, size: i })
    }
  }
  return events
}

/** Interleaves the events of different children as a concurrent walk may, keeping each child's own order. */
function interleave(events: Event[], order: number[]): Event[] {
  const byChild = new Map<string, Event[]>()
  for (const e of events) {
    const child = e.rel.split('/').slice(0, 2).join('/')
    byChild.set(child, [...(byChild.get(child) ?? []), e])
  }
  const queues = [...byChild.values()]
  const out: Event[] = []
  let k = 0
  while (queues.some((q) => q.length > 0)) {
    const live = queues.filter((q) => q.length > 0)
    out.push(live[order[k++ % order.length] % live.length].shift() as Event)
  }
  return out
}

function feed(events: Event[]) {
  const b = new ListingBuilder('t')
  for (const e of events) {
    if (e.kind === 'leaf') b.leaf(e.rel, 'file', e.size)
    else b.dir(e.rel, e.stays)
  }
  return b.finish()
}

describe('ListingBuilder', () => {
  test('the first LIST_LIMIT children by name, complete; the rest counted once, in any visiting order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 * LIST_LIMIT }), fc.integer({ min: 0, max: 999 }), fc.array(fc.nat(50), { minLength: 1, maxLength: 20 }), (n, seed, order) => {
        const events = tree(n, seed)
        const sequential = feed(events)
        const concurrent = feed(interleave(events, order))
        expect(concurrent).toEqual(sequential)
        const named = sequential.entries.map((e) => e.path)
        expect(named).toEqual([...named].sort())
        expect(named.length).toBe(Math.min(n, LIST_LIMIT))
        // Every file and byte is either named or counted in `more`, never both.
        const files = events.filter((e) => e.kind === 'leaf').length
        const bytes = events.reduce((s, e) => s + (e.kind === 'leaf' ? e.size : 0), 0)
        expect(sequential.entries.reduce((s, e) => s + e.files, 0) + sequential.more.files).toBe(files)
        expect(sequential.entries.reduce((s, e) => s + e.bytes, 0) + sequential.more.bytes).toBe(bytes)
        // Entries that go: each leaf, each removed directory (a directory that keeps something stays).
        const going = events.filter((e) => e.kind === 'leaf' || !e.stays).length
        const listedGoing = sequential.entries.reduce((s, e) => s + (e.keeps ? 0 : 1) + e.inside, 0)
        expect(listedGoing + sequential.more.entries).toBe(going)
        expect(sequential.itselfGoes).toBe(false)
      }),
      { numRuns: 60 }
    )
  })

  test('a directory: its files, bytes and entries inside; one that keeps something says so', () => {
    const b = new ListingBuilder('logs')
    b.leaf('logs/app/a.log', 'file', 4)
    b.leaf('logs/app/deep/b.log', 'file', 2)
    b.dir('logs/app/deep', false)
    b.dir('logs/app', false)
    b.leaf('logs/link', 'symlink', 99)
    b.dir('logs/keep', true)
    b.dir('logs', true) // the target itself is not an entry of its listing
    expect(b.finish()).toEqual({
      itselfGoes: false,
      entries: [
        { path: 'logs/app', kind: 'dir', files: 2, bytes: 6, inside: 3, keeps: false },
        { path: 'logs/keep', kind: 'dir', files: 0, bytes: 0, inside: 0, keeps: true },
        { path: 'logs/link', kind: 'symlink', files: 0, bytes: 0, inside: 0, keeps: false }
      ],
      more: { entries: 0, files: 0, bytes: 0 }
    })
  })

  test('a file target is its own entry; a directory target removed once emptied says it goes itself', () => {
    const file = new ListingBuilder('.docker-compose-state')
    file.leaf('.docker-compose-state', 'file', 5)
    expect(file.finish()).toEqual({ itselfGoes: false, entries: [{ path: '.docker-compose-state', kind: 'file', files: 1, bytes: 5, inside: 0, keeps: false }], more: { entries: 0, files: 0, bytes: 0 } })
    const removed = new ListingBuilder('logs')
    removed.leaf('logs/a', 'file', 1)
    removed.dir('logs', false)
    expect(removed.finish()).toMatchObject({ itselfGoes: true, entries: [{ path: 'logs/a' }] })
    const kept = new ListingBuilder('logs')
    kept.dir('logs', true)
    expect(kept.finish()).toEqual({ itselfGoes: false, entries: [], more: { entries: 0, files: 0, bytes: 0 } })
  })
})
