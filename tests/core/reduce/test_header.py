"""Prefix stripping: the template is learned from the message, not the header."""

from __future__ import annotations

import pytest

from logai.reduce._header import split_line

CASES = [
    # (raw line, expected message, expected severity)
    ("Jun 14 15:16:01 combo sshd(pam_unix)[19939]: check pass; user unknown",
     "check pass; user unknown", None),
    ("2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.MRAppMaster: Created MRAppMaster",
     "Created MRAppMaster", "INFO"),
    ("2024-03-01 10:00:03,000 - shop.payments - ERROR - payment declined",
     "payment declined", "ERROR"),
    ("WARNING:root:disk almost full", "disk almost full", "WARN"),
    ("[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6",
     "mod_jk child workerEnv in error state 6", "ERROR"),
    ("03-17 16:13:38.811  1702  2395 D WindowManager: printFreezingDisplayLogs",
     "printFreezingDisplayLogs", "DEBUG"),
    ("2024-01-01T12:00:00.000Z\t8f5e3c2a-1b2c-4d5e-8f9a-0b1c2d3e4f5a\tERROR\tboom",
     "boom", "ERROR"),
    ("[WARNING]\t2024-01-01T12:00:00.000Z\t8f5e3c2a-1b2c-4d5e-8f9a-0b1c2d3e4f5a\tlow memory",
     "low memory", "WARN"),
    ("START RequestId: 8f5e3c2a-1b2c-4d5e-8f9a-0b1c2d3e4f5a Version: $LATEST",
     "START RequestId: 8f5e3c2a-1b2c-4d5e-8f9a-0b1c2d3e4f5a Version: $LATEST", None),
    ('10.0.0.1 - - [01/Mar/2024:10:00:00 +0000] "GET / HTTP/1.1" 200 512',
     '"GET / HTTP/1.1" 200 512', None),
    ('{"ts": 1, "level": "warning", "message": "queue backlog high"}',
     "queue backlog high", "WARN"),
    ("2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]/0:0:0:0:2181:Election@774] - "
     "Notification time out: 3200", "Notification time out: 3200", "INFO"),
    ("- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 R02-M1-N0-C:J12-U11 "
     "RAS KERNEL INFO instruction cache parity error corrected",
     "instruction cache parity error corrected", "INFO"),
    ("20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579",
     "onStandStepChanged 3579", None),
    ("Connection refused: peer reset", "Connection refused: peer reset", None),
    # RDS PostgreSQL, log_line_prefix %t:%r:%u@%d:[%p]: (who and where, not what)
    ("2024-03-01 10:00:03 UTC:10.2.1.7(48693):app_user@billing:[20679]:LOG:  connection "
     "received: host=10.0.0.1", "connection received: host=10.0.0.1", "INFO"),
    ('2024-03-01 10:00:03 UTC:[local]:rdsadmin@rdsadmin:[881]:FATAL:  password authentication '
     'failed for user "x"', 'password authentication failed for user "x"', "FATAL"),
    ("2024-03-01 10:00:03 UTC::@:[4207]:LOG:  checkpoint starting: time",
     "checkpoint starting: time", "INFO"),
    # Spring Boot: ``LEVEL pid --- [thread] logger : message`` (2.x and 3.x)
    ("2024-03-01 10:00:01.963  WARN 1 --- [nio-8080-exec-3] c.e.shop.RequestTimer    : Slow "
     "request", "Slow request", "WARN"),
    ("2024-03-01T10:00:01.963Z  INFO 7 --- [shop] [           main] o.s.b.w.e.tomcat.Tomcat"
     "WebServer  : Tomcat started", "Tomcat started", "INFO"),
    # containerd/CRI-O node logs wrap the container's own line
    ("2024-03-01T10:00:00.123456789Z stderr F 2024-03-01 10:00:00,123 ERROR worker crashed",
     "worker crashed", "ERROR"),
    # a source name before the time (compose services, programs); not any ``Word: digits``
    ("worker: 2024/03/01 10:00:00 server started", "server started", None),
    ("Error: 5 retries left", "Error: 5 retries left", None),
    # zap console encoder (Go services, OpenTelemetry Collector): a ``file.go:line`` caller
    ("2024-03-01T10:00:01.195Z	info	service/service.go:161	Everything is ready.",
     "Everything is ready.", "INFO"),
    ("W0125 18:00:01.123456       1 reflector.go:123] watch of *v1.Pod ended",
     "watch of *v1.Pod ended", "WARN"),
    ("2015-07-30 17:57:38,440 - INFO  [WorkerReceiver[myid=3]:FastLeaderElection@542] - "
     "Notification: 3 (n.leader)", "Notification: 3 (n.leader)", "INFO"),
    ("03-17 16:13:38.811  1702  2395 W ActivityManager: Unable to start service",
     "Unable to start service", "WARN"),
    ("plain message without any header", "plain message without any header", None),
]  # fmt: skip


@pytest.mark.parametrize(("line", "message", "severity"), CASES)
def test_split_line_strips_known_headers(line: str, message: str, severity: str | None) -> None:
    split = split_line(line)
    assert split.message == message
    assert split.severity == severity
    assert split.header + split.message == line or split.header == ""


def test_split_line_never_returns_an_empty_message() -> None:
    assert split_line("2024-01-01 12:00:00").message == "2024-01-01 12:00:00"
