/** Serf's Lamport clocks (lamport.go): witnessing v moves the clock to max(clock, v + 1). */
export class LamportClock {
  constructor(private value = 1) {}

  get time(): number {
    return this.value;
  }

  witness(seen: number): void {
    if (seen + 1 > this.value) this.value = seen + 1;
  }

  /** Returns the current time and advances the clock. */
  increment(): number {
    return this.value++;
  }
}
