// One OpenSearch node in its own JVM, for jobs/cluster.py.
//
//   java -cp classes:lib/* HparkivNode HOME CLUSTER_NAME key=value...
//
// The codelibs runner starts nodes with OpenSearch's modules on the classpath, but its own
// main() cannot set node roles and refuses HTTP ports above 9299; this launcher hands every
// key=value to the node's settings instead (roles, ports, discovery: chosen by cluster.py)
// and closes the node on SIGTERM.

import java.util.concurrent.CountDownLatch;

import org.codelibs.opensearch.runner.OpenSearchRunner;

public final class HparkivNode {
    public static void main(final String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: HparkivNode HOME CLUSTER_NAME key=value...");
            System.exit(2);
        }
        final OpenSearchRunner runner = new OpenSearchRunner();
        runner.setMaxHttpPort(-1);
        runner.onBuild((id, settings) -> {
            for (int i = 2; i < args.length; i++) {
                final int eq = args[i].indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("not key=value: " + args[i]);
                }
                settings.put(args[i].substring(0, eq), args[i].substring(eq + 1));
            }
        });
        final CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runner.close();
            } catch (final Exception e) {
                e.printStackTrace();
            }
            closed.countDown();
        }));
        try {
            runner.build("-basePath", args[0], "-numOfNode", "1", "-clusterName", args[1], "-printOnFailure");
        } catch (final Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
        closed.await();
    }
}
