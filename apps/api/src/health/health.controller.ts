import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { type HealthReport, healthReportSchema, type Liveness, livenessSchema } from '@tandem/api-contract';
import { createZodDto } from 'nestjs-zod';
import { Public } from '../auth/access.decorators';
import { HealthService } from './health.service';

class HealthReportDto extends createZodDto(healthReportSchema) {}
class LivenessDto extends createZodDto(livenessSchema) {}

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
  @ApiOkResponse({ type: LivenessDto.Output })
  live(): Liveness {
    return { status: 'ok' };
  }
}
