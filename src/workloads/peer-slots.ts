// The frontend's grant references as the generators see them: numbered slots of one pool that
// the peer grants once per device state (bind.ts turns slot s into the peer's s-th grant ref).
// A blkfront or vchan peer recycles its grants when a request or ring goes away, so slots freed
// by an UNMAP are handed out again; the pool then stays as large as the most grants ever live at
// once, well inside a domain's grant table (docs/kernel-model.md §6.4: 32,768 entries by default).

export class PeerSlots {
  private readonly free: number[] = []
  private highWater = 0

  /** `count` slots, the most recently freed first (deterministic). */
  take(count: number): number[] {
    const slots = new Array<number>(count)
    for (let i = 0; i < count; i++) slots[i] = this.free.pop() ?? this.highWater++
    return slots
  }

  /** Give slots back once the mapping that used them is unmapped. */
  give(slots: readonly number[]): void {
    for (let i = slots.length - 1; i >= 0; i--) this.free.push(slots[i] as number)
  }

  /** Slots ever handed out: the pool the peer must grant. */
  get size(): number {
    return this.highWater
  }
}
