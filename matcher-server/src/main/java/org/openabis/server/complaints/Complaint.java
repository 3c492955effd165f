package org.openabis.server.complaints;

import java.time.Instant;

/**
 * A stored complaint (table {@code complaint}, V2__oversight.sql).
 *
 * @param jurisdiction   that of the transaction or detainer complained about, where the review counts it;
 *                       {@link ComplaintService#UNATTRIBUTED} when the server does not know it
 * @param transactionRef the transaction complained about, or null
 * @param detainerId     the detainer complained about, or null
 * @param filedBy        the agency that filed it, or null when the person filed it through the complaint line
 */
public record Complaint(long id, Instant filedAt, String jurisdiction, String transactionRef, Long detainerId,
                        String filedBy, String description) {
}
