package dev.groundwork.core.learn;

/** Small vector arithmetic shared by what learns over embeddings (query adapters, routers). */
public final class Vectors {
  private Vectors() {}

  /** Scales {@code v} in place to length 1 and returns it (an all-zero vector stays as it is). */
  public static float[] normalize(float[] v) {
    double n = 0;
    for (float x : v) n += (double) x * x;
    if (n == 0) return v;
    float inv = (float) (1 / Math.sqrt(n));
    for (int i = 0; i < v.length; i++) v[i] *= inv;
    return v;
  }
}
