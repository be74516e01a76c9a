package dev.groundwork.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CleanTextTest {
  @Test
  void loneSurrogatesBecomeReplacementCharactersAndControlsGo() {
    assertThat(CleanText.of("x \udc00 y")).isEqualTo("x \uFFFD y");
    assertThat(CleanText.of("end \ud83d")).isEqualTo("end \uFFFD");
    assertThat(CleanText.of("a\u0000b\u0007c\td\ne")).isEqualTo("abc\td\ne");
    assertThat(CleanText.of("smile \ud83d\ude00 ok")).isEqualTo("smile \ud83d\ude00 ok");
    assertThat(CleanText.of(null)).isNull();
  }

  @Test
  void cleanTextIsReturnedAsItIs() {
    String s = "How many attempts does a job get? é ü 日本";
    assertThat(CleanText.of(s)).isSameAs(s);
  }

  @Test
  void theResultIsAlwaysWellFormedUtf16() {
    Random r = new Random(7);
    for (int t = 0; t < 2000; t++) {
      char[] cs = new char[r.nextInt(12)];
      for (int i = 0; i < cs.length; i++) cs[i] = (char) (r.nextBoolean() ? 0xD800 + r.nextInt(0x800) : r.nextInt(0x80));
      String out = CleanText.of(new String(cs));
      for (int i = 0; i < out.length(); i++) {
        char c = out.charAt(i);
        if (Character.isHighSurrogate(c)) assertThat(Character.isLowSurrogate(out.charAt(++i))).isTrue();
        else assertThat(Character.isLowSurrogate(c)).isFalse();
        assertThat(c < 0x20 && c != '\t' && c != '\n' && c != '\r').isFalse();
      }
      // idempotent
      assertThat(CleanText.of(out)).isEqualTo(out);
    }
  }
}
