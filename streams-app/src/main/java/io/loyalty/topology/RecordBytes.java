package io.loyalty.topology;

/** The size of a key or value as the engine's serializers write it: UTF-8 text, or bytes it encoded itself. */
final class RecordBytes {
  private RecordBytes() {}

  static long of(Object keyOrValue) {
    if (keyOrValue == null) {
      return 0;
    }
    if (keyOrValue instanceof byte[] bytes) {
      return bytes.length;
    }
    return utf8(keyOrValue.toString());
  }

  /** UTF-8 length without encoding: keys are counted on every input. */
  static long utf8(String text) {
    long bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
