package io.sluice.gateway;

import java.util.List;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The gateway with its peers played by {@link StandInPeers}: every test class on this profile shares one application
 * (and one stand-in), started after the classes without a profile.
 */
public class WithStandInPeers implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(StandInPeers.class));
    }
}
