package io.intentbot.engine.steps;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Set;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Hands out one connection whose open transaction its users cannot end: {@code commit}, {@code
 * setAutoCommit} and {@code close} do nothing, so everything Flyway does through it stays in the
 * caller's transaction, which the caller rolls back. {@code rollback} still rolls back (Flyway does
 * so only after a failure).
 */
final class TransactionBoundDataSource implements DataSource {

  private static final Set<String> IGNORED = Set.of("commit", "setAutoCommit", "close");

  private final Connection proxy;

  TransactionBoundDataSource(Connection connection) {
    this.proxy =
        (Connection)
            Proxy.newProxyInstance(
                Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class},
                (target, method, args) -> {
                  if (IGNORED.contains(method.getName())) {
                    return null;
                  }
                  switch (method.getName()) {
                    case "getAutoCommit":
                      return true;
                    case "equals":
                      return target == args[0];
                    case "hashCode":
                      return System.identityHashCode(target);
                    default:
                      break;
                  }
                  try {
                    return method.invoke(connection, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
  }

  @Override
  public Connection getConnection() {
    return proxy;
  }

  @Override
  public Connection getConnection(String username, String password) {
    return proxy;
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {}

  @Override
  public void setLoginTimeout(int seconds) {}

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public <T> T unwrap(Class<T> type) throws java.sql.SQLException {
    throw new java.sql.SQLException("not a wrapper");
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return false;
  }
}
