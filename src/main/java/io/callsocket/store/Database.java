package io.callsocket.store;

import io.callsocket.Settings;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.ServiceLoader;

/**
 * Where the call records live: the container's DataSource {@code jdbc/callsocket} where JNDI has
 * one (a WAR in Tomcat or Payara), else the {@code jdbcUrl} setting, whose default is an H2 file
 * database in {@code dataDir}.
 */
public final class Database {
    static final String JNDI_NAME = "java:comp/env/jdbc/callsocket";

    private final DataSource dataSource;
    private final Driver driver;
    private final String url;
    private final String description;

    private Database(DataSource dataSource, Driver driver, String url, String description) {
        this.dataSource = dataSource;
        this.driver = driver;
        this.url = url;
        this.description = description;
    }

    public static Database fromSettings(Settings settings) {
        try {
            Object found = new InitialContext().lookup(JNDI_NAME);
            if (found instanceof DataSource container) {
                return new Database(container, null, null, "DataSource " + JNDI_NAME);
            }
        } catch (NamingException notThere) {
            // Embedded: NoInitialContextException; a container without the resource: NameNotFoundException.
        }
        return ofUrl(url(settings));
    }

    /** The JDBC URL the settings name; {@code h2} means a file database in dataDir. */
    public static String url(Settings settings) {
        if (!settings.jdbcUrl().equals("h2")) {
            return settings.jdbcUrl();
        }
        // Our own close, not H2's shutdown hook, ends the database: records still being written
        // at exit must not meet a database that is already gone.
        return "jdbc:h2:file:" + Path.of(settings.dataDir()).toAbsolutePath().resolve("callsocket") + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    public static Database ofUrl(String url) {
        // The drivers our own class loader sees, not DriverManager's: in a WAR on Tomcat,
        // DriverManager never registered the drivers in WEB-INF/lib.
        for (Driver driver : ServiceLoader.load(Driver.class, Database.class.getClassLoader())) {
            try {
                if (driver.acceptsURL(url)) {
                    return new Database(null, driver, url, hidePassword(url));
                }
            } catch (SQLException e) {
                // this driver cannot say; ask the next
            }
        }
        try {
            return new Database(null, DriverManager.getDriver(url), url, hidePassword(url));
        } catch (SQLException e) {
            throw new IllegalArgumentException("setting jdbcUrl: no JDBC driver takes " + hidePassword(url), e);
        }
    }

    public Connection connect() throws SQLException {
        if (dataSource != null) {
            return dataSource.getConnection();
        }
        // User and password, where needed, are in the URL.
        Connection connection = driver.connect(url, new Properties());
        if (connection == null) {
            throw new SQLException("the driver refused " + description);
        }
        return connection;
    }

    boolean isH2() {
        return url != null && url.startsWith("jdbc:h2:");
    }

    /**
     * Called before the spool forgets records the database has committed. PostgreSQL has them on
     * disk at commit; H2 writes its file behind the commit, so it is asked to write and sync it now.
     */
    void makeDurable(Connection connection) throws SQLException {
        if (isH2()) {
            try (Statement s = connection.createStatement()) {
                s.execute("CHECKPOINT SYNC");
            }
        }
    }

    /** Closes an embedded H2 database we opened; a server database or a container's pool stays up. */
    void shutdown() {
        if (isH2() && !url.contains(":mem:")) {
            try (Connection c = connect(); Statement s = c.createStatement()) {
                s.execute("SHUTDOWN");
            } catch (SQLException e) {
                System.getLogger(Database.class.getName()).log(System.Logger.Level.WARNING,
                        "H2 did not shut down cleanly: {0}", e.toString());
            }
        }
    }

    static String hidePassword(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    @Override
    public String toString() {
        return description;
    }
}
