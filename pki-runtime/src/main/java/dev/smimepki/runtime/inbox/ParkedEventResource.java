package dev.smimepki.runtime.inbox;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.ResponseStatus;

import dev.smimepki.runtime.auth.Caller;
import dev.smimepki.runtime.auth.Roles;

/**
 * The events this service could not apply, for administrators: list them, replay one after the cause is fixed, or
 * discard one. Served by every service; only consumers (keystore-service, directory-service) ever park one.
 */
@Path("/api/v1/events/parked")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class ParkedEventResource {
    private final ParkedEvents parked;
    private final Caller caller;

    ParkedEventResource(ParkedEvents parked, Caller caller) {
        this.parked = parked;
        this.caller = caller;
    }

    @GET
    public ParkedEvents.Page list(@QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("20") int size) {
        return parked.page(page, size);
    }

    @GET
    @Path("/{id}")
    public ParkedEvents.Parked get(@PathParam("id") long id) {
        return parked.get(id);
    }

    /**
     * Publishes the event again, as it was, through this service's outbox, with the events of the same certificate
     * parked behind it (202: the relay sends them shortly); the parked records are then gone. Should one fail again,
     * it is parked again under a new id.
     */
    @POST
    @Path("/{id}/replay")
    @ResponseStatus(202)
    public ParkedEvents.Replayed replay(@PathParam("id") long id) {
        return parked.replay(id, caller.name());
    }

    @DELETE
    @Path("/{id}")
    public ParkedEvents.Parked discard(@PathParam("id") long id) {
        return parked.discard(id, caller.name());
    }
}
