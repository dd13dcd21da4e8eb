package io.intentbot.engine.steps;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A compact fixed-width text table of query rows for the step output. */
final class TextTable {

  private static final int MAX_WIDTH = 40;

  private TextTable() {}

  static List<String> render(List<String> columns, List<Map<String, Object>> rows) {
    int[] widths = new int[columns.size()];
    List<List<String>> cells = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      widths[i] = Math.max(1, Math.min(MAX_WIDTH, columns.get(i).length()));
    }
    for (Map<String, Object> row : rows) {
      List<String> line = new ArrayList<>();
      for (int i = 0; i < columns.size(); i++) {
        String cell = cell(row.get(columns.get(i)));
        widths[i] = Math.max(widths[i], Math.min(MAX_WIDTH, cell.length()));
        line.add(cell);
      }
      cells.add(line);
    }
    List<String> lines = new ArrayList<>();
    lines.add(line(columns, widths));
    List<String> rules = new ArrayList<>();
    for (int width : widths) {
      rules.add("-".repeat(width));
    }
    lines.add(line(rules, widths));
    cells.forEach(row -> lines.add(line(row, widths)));
    return lines;
  }

  private static String cell(Object value) {
    String text = value == null ? "NULL" : String.valueOf(value);
    return text.replace('\n', ' ').replace('\r', ' ');
  }

  private static String line(List<String> cells, int[] widths) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String cell = cells.get(i);
      if (cell.length() > widths[i]) {
        cell = cell.substring(0, widths[i] - 1) + "~";
      }
      if (i > 0) {
        out.append(" | ");
      }
      out.append(cell).append(" ".repeat(widths[i] - cell.length()));
    }
    return out.toString().stripTrailing();
  }
}
