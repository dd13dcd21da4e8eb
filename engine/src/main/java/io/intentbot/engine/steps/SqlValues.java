package io.intentbot.engine.steps;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.SQLException;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Turns JDBC column values into the JSON-friendly values step outputs hold: integers, decimals,
 * booleans, strings (dates and times in ISO-8601, binary in Base64), lists and null.
 */
final class SqlValues {

  private static final int LOB_LIMIT = 64 * 1024;

  private SqlValues() {}

  static Object toOutput(Object value) throws SQLException {
    if (value == null || value instanceof String || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).intValue();
    }
    if (value instanceof Long) {
      return value;
    }
    if (value instanceof BigInteger big) {
      return big.bitLength() < 64 ? (Object) big.longValue() : big.toString();
    }
    if (value instanceof BigDecimal decimal) {
      return decimal(decimal);
    }
    if (value instanceof Float || value instanceof Double) {
      return ((Number) value).doubleValue();
    }
    if (value instanceof java.sql.Timestamp timestamp) {
      return timestamp.toLocalDateTime().toString();
    }
    if (value instanceof java.sql.Date date) {
      return date.toLocalDate().toString();
    }
    if (value instanceof java.sql.Time time) {
      return time.toLocalTime().toString();
    }
    if (value instanceof TemporalAccessor) {
      return value.toString();
    }
    if (value instanceof byte[] bytes) {
      return Base64.getEncoder().encodeToString(bytes);
    }
    if (value instanceof Clob clob) {
      return clob.getSubString(1, (int) Math.min(clob.length(), LOB_LIMIT));
    }
    if (value instanceof Blob blob) {
      return Base64.getEncoder()
          .encodeToString(blob.getBytes(1, (int) Math.min(blob.length(), LOB_LIMIT)));
    }
    if (value instanceof Array array) {
      List<Object> items = new ArrayList<>();
      for (Object item : (Object[]) array.getArray()) {
        items.add(toOutput(item));
      }
      return items;
    }
    if (value instanceof Object[] items) {
      List<Object> list = new ArrayList<>();
      for (Object item : items) {
        list.add(toOutput(item));
      }
      return list;
    }
    return value.toString();
  }

  private static Object decimal(BigDecimal decimal) {
    BigDecimal stripped = decimal.stripTrailingZeros();
    if (stripped.scale() <= 0 && stripped.precision() - stripped.scale() < 19) {
      return stripped.longValueExact();
    }
    return decimal.doubleValue();
  }
}
