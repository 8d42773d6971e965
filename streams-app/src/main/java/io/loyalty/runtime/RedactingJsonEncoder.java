package io.loyalty.runtime;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.LoggerContextVO;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per line (logback's JsonEncoder, for log pipelines), with the same masking as the text
 * format: the message and the stack trace are rendered, then emails and phone numbers masked
 * ({@link RedactingConverter}); the stack trace goes into the message, and the raw arguments are left out, so
 * no field carries a value unmasked.
 */
public final class RedactingJsonEncoder extends JsonEncoder {
  public RedactingJsonEncoder() {
    setWithArguments(false);
    setWithMessage(false);
    setWithFormattedMessage(true);
    setWithThrowable(false);
    setWithSequenceNumber(false);
    setWithNanoseconds(false);
    setWithContext(false);
    setWithKVPList(false);
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    return super.encode(new Redacted(event));
  }

  private record Redacted(ILoggingEvent event) implements ILoggingEvent {
    @Override
    public String getFormattedMessage() {
      IThrowableProxy thrown = event.getThrowableProxy();
      String message = event.getFormattedMessage();
      return RedactingConverter.redact(thrown == null ? message : message + "\n" + ThrowableProxyUtil.asString(thrown));
    }

    @Override
    public String getMessage() {
      return getFormattedMessage();
    }

    @Override
    public Object[] getArgumentArray() {
      return null;
    }

    @Override
    public IThrowableProxy getThrowableProxy() {
      return null;
    }

    @Override
    public String getThreadName() {
      return event.getThreadName();
    }

    @Override
    public Level getLevel() {
      return event.getLevel();
    }

    @Override
    public String getLoggerName() {
      return event.getLoggerName();
    }

    @Override
    public LoggerContextVO getLoggerContextVO() {
      return event.getLoggerContextVO();
    }

    @Override
    public StackTraceElement[] getCallerData() {
      return event.getCallerData();
    }

    @Override
    public boolean hasCallerData() {
      return event.hasCallerData();
    }

    @Override
    public List<Marker> getMarkerList() {
      return event.getMarkerList();
    }

    @Override
    public Map<String, String> getMDCPropertyMap() {
      return event.getMDCPropertyMap();
    }

    @Override
    @SuppressWarnings("deprecation")
    public Map<String, String> getMdc() {
      return event.getMdc();
    }

    @Override
    public long getTimeStamp() {
      return event.getTimeStamp();
    }

    @Override
    public Instant getInstant() {
      return event.getInstant();
    }

    @Override
    public int getNanoseconds() {
      return event.getNanoseconds();
    }

    @Override
    public long getSequenceNumber() {
      return event.getSequenceNumber();
    }

    @Override
    public List<KeyValuePair> getKeyValuePairs() {
      return event.getKeyValuePairs();
    }

    @Override
    public void prepareForDeferredProcessing() {
      event.prepareForDeferredProcessing();
    }
  }
}
