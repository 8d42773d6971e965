package io.loyalty.bench;

/** Spaces out work at a fixed rate from its start; a rate of 0 or less means as fast as possible. */
public final class Pacer {
  private final long begin = System.nanoTime();
  private final long perSecond;

  public Pacer(long perSecond) {
    this.perSecond = perSecond;
  }

  /** Waits until the n-th item (from 0) is due. */
  public void await(long n) throws InterruptedException {
    if (perSecond <= 0) {
      return;
    }
    long wait = begin + n * 1_000_000_000L / perSecond - System.nanoTime();
    if (wait > 0) {
      Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
    }
  }
}
