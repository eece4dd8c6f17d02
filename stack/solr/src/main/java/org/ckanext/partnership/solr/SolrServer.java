package org.ckanext.partnership.solr;

import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * Runs Apache Solr on 127.0.0.1:PORT/solr with the cores found in SOLR_HOME.
 *
 * Usage: java -cp ... org.ckanext.partnership.solr.SolrServer SOLR_HOME PORT
 *
 * Stops cleanly (cores closed, index committed) on SIGTERM.
 */
public final class SolrServer {
  private SolrServer() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: SolrServer SOLR_HOME PORT");
      System.exit(2);
    }
    String home = args[0];
    int port = Integer.parseInt(args[1]);
    JettyConfig config =
        JettyConfig.builder()
            .setPort(port)
            .setContext("/solr")
            .stopAtShutdown(true)
            .useOnlyHttp1(true)
            .build();
    JettySolrRunner runner = new JettySolrRunner(home, new Properties(), config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    runner.stop();
                  } catch (Exception e) {
                    e.printStackTrace();
                  }
                  stopped.countDown();
                }));
    runner.start();
    System.out.println("Solr listening on " + runner.getBaseUrl());
    stopped.await();
  }
}
