package io.callsocket;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;

import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Collections;

/**
 * Deploys CallSocket in a servlet container (Tomcat, Payara): settings from web.xml context-params,
 * the endpoint at the configured path. Declared in web.xml, not annotated, so it runs exactly once.
 */
public final class CallSocketListener implements ServletContextListener {
    private CallServer server;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        // A bad setting throws here, and the container refuses to start the application, naming it.
        Settings settings = Settings.from(context::getInitParameter);
        ServerContainer container = (ServerContainer) context.getAttribute(ServerContainer.class.getName());
        if (container == null) {
            throw new IllegalStateException("this container offers no WebSocket ServerContainer");
        }
        server = CallServer.create(settings);
        try {
            container.addEndpoint(server.endpointConfig());
        } catch (DeploymentException e) {
            server.close();
            throw new IllegalStateException("cannot deploy the call endpoint at " + settings.path(), e);
        }
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (server != null) {
            server.close();
        }
        // The record store's JDBC drivers in WEB-INF/lib registered themselves with DriverManager;
        // left there, they would keep this application's class loader alive after an undeploy.
        for (Driver driver : Collections.list(DriverManager.getDrivers())) {
            if (driver.getClass().getClassLoader() == CallSocketListener.class.getClassLoader()) {
                try {
                    DriverManager.deregisterDriver(driver);
                } catch (SQLException ignored) {
                    // nothing more to do on the way out
                }
            }
        }
    }
}
