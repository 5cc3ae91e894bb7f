import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { Public } from '../auth/access.decorators';
import { type HealthReport, HealthService } from './health.service';

const dependency = z.object({ status: z.enum(['up', 'down']), latencyMs: z.number(), error: z.string().optional() });
const healthReportSchema = z
  .object({ status: z.enum(['ok', 'down']), checks: z.object({ postgres: dependency, temporal: dependency, kafka: dependency }) });
class HealthReportDto extends createZodDto(healthReportSchema) {}

@ApiTags('operations')
@Controller('health')
@Public()
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @ApiOperation({ summary: 'Readiness: PostgreSQL, Temporal and Kafka, each within a timeout. 503 names what is down.' })
  @ApiOkResponse({ type: HealthReportDto.Output })
  @ApiServiceUnavailableResponse({ type: HealthReportDto.Output })
  async check(@Res({ passthrough: true }) res: Response): Promise<HealthReport> {
    const report = await this.health.report();
    res.status(report.status === 'ok' ? 200 : 503);
    res.setHeader('Cache-Control', 'no-store');
    return report;
  }

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers (no dependency is checked).' })
  @ApiOkResponse({ schema: { type: 'object', properties: { status: { type: 'string', enum: ['ok'] } } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
