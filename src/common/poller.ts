// Runs a callback every N seconds while switched on; N = 0 means never. Pure: no `vscode`.

export class Poller {
  private timer: ReturnType<typeof setInterval> | undefined;
  private seconds = 0;
  private active = false;

  constructor(private readonly tick: () => void) {}

  /** Sets the interval (0 disables) and restarts the timer if it was running. */
  setInterval(seconds: number): void {
    this.seconds = Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
    this.apply();
  }

  setActive(active: boolean): void {
    this.active = active;
    this.apply();
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  dispose(): void {
    this.active = false;
    this.apply();
  }

  private apply(): void {
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
    if (this.active && this.seconds > 0) {
      this.timer = setInterval(this.tick, this.seconds * 1000);
      this.timer.unref?.();
    }
  }
}
