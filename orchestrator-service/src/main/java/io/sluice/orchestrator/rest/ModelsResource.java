package io.sluice.orchestrator.rest;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.mutiny.Uni;
import io.sluice.orchestrator.catalog.ModelCatalog;

/** The catalogue's aliases in OpenAI's model list format; the gateway filters it by each key's allow-list. */
@Path("/v1/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelsResource {

    public record ModelEntry(String id, String object, long created, String owned_by) {
    }

    public record ModelList(String object, List<ModelEntry> data) {
    }

    private final ModelCatalog catalog;

    public ModelsResource(ModelCatalog catalog) {
        this.catalog = catalog;
    }

    @GET
    public Uni<ModelList> list() {
        return Uni.createFrom().item(new ModelList("list",
                catalog.aliases().stream().map(alias -> new ModelEntry(alias, "model", 0, "sluice")).toList()));
    }
}
