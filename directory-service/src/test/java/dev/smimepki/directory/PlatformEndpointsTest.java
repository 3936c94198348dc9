package dev.smimepki.directory;

import io.quarkus.test.junit.QuarkusTest;

import dev.smimepki.runtime.test.PlatformEndpointsContract;

@QuarkusTest
class PlatformEndpointsTest extends PlatformEndpointsContract {
}
