package dev.smimepki.runtime.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.SQLException;

import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.core.Response;

import org.hibernate.exception.JDBCConnectionException;
import org.junit.jupiter.api.Test;

/** The catch-all mapper: a database that is away is a 503 whatever wraps it, anything else a 500 incident. */
class ProblemMapperTest {
    private final ProblemMapper mapper = new ProblemMapper();

    @Test
    void aQueryCutByAnAdministratorShutdownIsA503() {
        Response answer = mapper.internal(new IllegalStateException("commit failed", new PersistenceException(
                "query failed", new SQLException("terminating connection due to administrator command", "57P01"))));
        assertProblem(503, "database-unavailable", answer);
    }

    @Test
    void hibernatesConnectionFailureIsA503() {
        assertProblem(503, "database-unavailable", mapper.internal(
                new JDBCConnectionException("unable to acquire", new SQLException("refused", "08001"))));
    }

    @Test
    void aRefusalOrABugIsA500Incident() {
        assertProblem(500, "internal-error", mapper.internal(
                new PersistenceException("insert failed", new SQLException("duplicate key", "23505"))));
        assertProblem(500, "internal-error", mapper.internal(new NullPointerException()));
    }

    private static void assertProblem(int status, String code, Response answer) {
        assertEquals(status, answer.getStatus());
        assertEquals(Problem.MEDIA_TYPE, answer.getMediaType().toString());
        assertEquals(code, ((Problem) answer.getEntity()).code());
    }
}
