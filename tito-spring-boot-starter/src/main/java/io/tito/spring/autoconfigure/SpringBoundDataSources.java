package io.tito.spring.autoconfigure;

import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

/**
 * Strips Spring's {@link TransactionAwareDataSourceProxy}, whose connections inside a Spring
 * transaction are that transaction's: the JDBC engine must own its connections (its own snapshot
 * and commit protocol). Loaded only when spring-jdbc is on the class path.
 */
final class SpringBoundDataSources {

  private SpringBoundDataSources() {}

  /** {@code dataSource}, or the target under any transaction-aware proxies. */
  static DataSource unwrap(DataSource dataSource) {
    DataSource ds = dataSource;
    while (ds instanceof TransactionAwareDataSourceProxy proxy) {
      DataSource target = ((DelegatingDataSource) proxy).getTargetDataSource();
      if (target == null) {
        throw new IllegalStateException("tito.data-source.enabled=true: the application's "
            + "TransactionAwareDataSourceProxy has no target DataSource");
      }
      ds = target;
    }
    return ds;
  }
}
