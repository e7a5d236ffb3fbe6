"""One CloudWatch source per ``LOGAI_AWS_TARGETS`` entry, answering together as a target set.

Each target gets its own settings (its profile and region in place of ``AWS_PROFILE`` and
``AWS_REGION``), so its own client, credentials resolved once (a role assumed once, then
refreshed by botocore) and its own cache identity (account, region, endpoint). The fan-out,
the partial-failure notes and the ``target:group`` names are core's
(:class:`logai.sources.targets.TargetSet`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from logai.aws_targets import AwsTarget, TargetSyntaxError, parse_targets
from logai.sources.base import SourceValidationError
from logai.sources.targets import TargetSet

if TYPE_CHECKING:
    from logai.config import LogAISettings
    from logai.sources.base import DataSource
    from logai_cloudwatch.settings import CloudWatchSettings


def target_settings(settings: LogAISettings, target: AwsTarget) -> LogAISettings:
    """``settings`` as seen by one target: its profile and region replace the defaults."""
    update: dict[str, object] = {}
    if target.profile:
        update["aws_profile"] = target.profile
    if target.region:
        update["aws_region"] = target.region
    return settings.model_copy(update=update)


def build_source(
    settings: LogAISettings, cloudwatch: CloudWatchSettings | None = None
) -> DataSource:
    """The configured targets as one source, or the single CloudWatch source without any."""
    from logai_cloudwatch.insights import SplitPolicy
    from logai_cloudwatch.settings import load_cloudwatch_settings
    from logai_cloudwatch.source import CloudWatchSource

    cloudwatch = cloudwatch or load_cloudwatch_settings()
    max_concurrency = cloudwatch.max_concurrency
    # The Insights quota is per account and region, so each target gets its own slots.
    split = SplitPolicy(concurrency=cloudwatch.insights_concurrency)
    try:
        targets = parse_targets(settings.aws_targets)
    except TargetSyntaxError as exc:
        raise SourceValidationError(str(exc)) from None
    if not targets:
        return CloudWatchSource(settings, max_concurrency=max_concurrency, split=split)
    members: dict[str, DataSource] = {
        target.alias: CloudWatchSource(
            target_settings(settings, target),
            max_concurrency=max_concurrency,
            role_arn=target.role_arn,
            split=split,
        )
        for target in targets
    }
    return TargetSet(members, max_concurrency=max_concurrency)
