package dev.smimepki.crypto;

import io.quarkus.test.junit.QuarkusTest;

import dev.smimepki.runtime.test.PlatformEndpointsContract;

@QuarkusTest
class PlatformEndpointsTest extends PlatformEndpointsContract {
}
