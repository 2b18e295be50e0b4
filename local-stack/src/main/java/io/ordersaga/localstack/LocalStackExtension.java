package io.ordersaga.localstack;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that gives tests a real local stack: one {@link LocalStack} per test JVM
 * ({@link LocalStack.Config#ephemeral()}: free ports, a temporary directory), started on first use and
 * shared by every test class, closed when the test run ends (it lives in the root
 * {@link ExtensionContext.Store}, which closes {@link AutoCloseable} values).
 *
 * <p>Use: {@code @ExtendWith(LocalStackExtension.class)} and a {@link LocalStack} parameter on a test
 * method, a lifecycle method ({@code @BeforeAll static void setUp(LocalStack stack)}) or the constructor.
 * Tests sharing the stack should use topic names, consumer groups and transactional ids of their own.
 * A failed start fails every test that asks for the stack, with the same error.
 */
public final class LocalStackExtension implements ParameterResolver {

    /**
     * True for a parameter of type {@link LocalStack}.
     */
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LocalStack.class;
    }

    /**
     * The shared stack, started now if this is the first request in this JVM.
     *
     * @throws IllegalStateException when the stack does not start ({@link LocalStack#start})
     */
    @Override
    public LocalStack resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return shared(context);
    }

    /**
     * The stack shared by every test of this JVM, started now if needed; for extensions and code that
     * have an {@link ExtensionContext} rather than a parameter.
     *
     * @throws IllegalStateException when the stack does not start ({@link LocalStack#start})
     */
    public static LocalStack shared(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.create(LocalStackExtension.class))
                .computeIfAbsent(LocalStack.class, type -> LocalStack.start(LocalStack.Config.ephemeral()), LocalStack.class);
    }
}
