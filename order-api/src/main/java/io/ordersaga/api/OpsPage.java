package io.ordersaga.api;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * {@code GET /ops}: the operations page, {@code static/ops.html} (plain HTML and JavaScript, no build step). The page
 * itself holds no data and is served to anyone; it asks for an admin token and sends it with every call it makes
 * ({@code /admin/sagas/stats}, {@code /admin/sagas}, {@code /admin/instances}, {@code /admin/dead-letters/counts},
 * {@code POST /admin/orders/{id}/compensate}), each of which refuses any other caller.
 */
@Configuration(proxyBeanMethods = false)
public class OpsPage implements WebMvcConfigurer {

    /** The page's path. */
    public static final String PATH = "/ops";

    /** Forwards {@link #PATH} to the page. */
    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addViewController(PATH).setViewName("forward:/ops.html");
    }
}
