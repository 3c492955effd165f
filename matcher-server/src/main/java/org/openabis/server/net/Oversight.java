package org.openabis.server.net;

import org.openabis.server.complaints.ComplaintService;
import java.time.Clock;
import org.openabis.server.access.AgencyStore;
import org.openabis.server.audit.AuditLog;
import org.openabis.server.audit.AuditTrail;
import org.openabis.server.records.DetainerService;
import org.openabis.server.records.RecordsRepository;

/**
 * What a server with access control and an audit trail needs, all on the records database: the agencies
 * and their credentials, the audit writer and reader, the detainer and record services that officers
 * reach over TCP, and the complaint channel. The owner ({@code afis serve}) opens and closes them.
 */
public record Oversight(AgencyStore agencies, AuditLog audit, AuditTrail trail, DetainerService detainers,
                        ComplaintService complaints, RecordsRepository records, Clock clock) {
}
