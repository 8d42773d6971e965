package io.loyalty.runtime;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.pattern.CompositeConverter;
import java.util.regex.Pattern;

/**
 * Masks email addresses and phone numbers in whatever the wrapped pattern renders, messages and stack traces
 * alike. The engine never logs them on purpose; this catches what a library's exception message might carry
 * (an Avro error quoting a record, say). Phone numbers are recognized in E.164 form (+13035550100) and in the
 * North American forms with separators ((303) 555-0100, 303.555.0100).
 */
public final class RedactingConverter extends CompositeConverter<ILoggingEvent> {
  private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");
  private static final Pattern PHONE = Pattern.compile("\\+\\d{8,15}\\b|\\(?\\b\\d{3}\\)?[ .-]\\d{3}[ .-]\\d{4}\\b");

  @Override
  protected String transform(ILoggingEvent event, String rendered) {
    return redact(rendered);
  }

  public static String redact(String text) {
    return PHONE.matcher(EMAIL.matcher(text).replaceAll("<email>")).replaceAll("<phone>");
  }
}
