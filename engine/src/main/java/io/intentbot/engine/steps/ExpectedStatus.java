package io.intentbot.engine.steps;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The status codes an {@code http} step accepts: {@code 200}, {@code "2xx"}, {@code "200-299"}. */
record ExpectedStatus(List<Range> ranges) {

  static final ExpectedStatus DEFAULT = new ExpectedStatus(List.of(new Range(200, 399)));

  private static final Pattern CLASS = Pattern.compile("([1-5])xx");
  private static final Pattern RANGE = Pattern.compile("(\\d{3})\\s*-\\s*(\\d{3})");
  private static final Pattern SINGLE = Pattern.compile("\\d{3}");

  ExpectedStatus {
    ranges = List.copyOf(ranges);
  }

  static ExpectedStatus parse(List<Object> values) {
    if (values.isEmpty()) {
      return DEFAULT;
    }
    List<Range> ranges = new ArrayList<>();
    for (Object value : values) {
      ranges.add(range(value));
    }
    return new ExpectedStatus(ranges);
  }

  private static Range range(Object value) {
    if (value instanceof Number number) {
      return new Range(number.intValue(), number.intValue());
    }
    String text = String.valueOf(value).trim().toLowerCase(java.util.Locale.ROOT);
    Matcher matcher;
    if ((matcher = CLASS.matcher(text)).matches()) {
      int base = Integer.parseInt(matcher.group(1)) * 100;
      return new Range(base, base + 99);
    }
    if ((matcher = RANGE.matcher(text)).matches()) {
      return new Range(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)));
    }
    if (SINGLE.matcher(text).matches()) {
      int code = Integer.parseInt(text);
      return new Range(code, code);
    }
    throw new IllegalArgumentException(
        "'expect_status' entries must look like 200, 2xx or 200-299, got '" + value + "'");
  }

  boolean accepts(int status) {
    return ranges.stream().anyMatch(r -> status >= r.from() && status <= r.to());
  }

  @Override
  public String toString() {
    return ranges.stream().map(Range::toString).collect(Collectors.joining(", "));
  }

  record Range(int from, int to) {
    Range {
      if (from < 100 || to > 599 || from > to) {
        throw new IllegalArgumentException(
            "'expect_status' range " + from + "-" + to + " is not within 100-599");
      }
    }

    @Override
    public String toString() {
      return from == to ? String.valueOf(from) : from + "-" + to;
    }
  }
}
