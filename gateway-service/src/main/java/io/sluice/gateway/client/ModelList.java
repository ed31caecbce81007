package io.sluice.gateway.client;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** OpenAI's model list, as the orchestrator's catalogue reports it and clients expect it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelList(String object, List<Model> data) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Model(String id, String object, long created, @JsonProperty("owned_by") String ownedBy) {
    }
}
