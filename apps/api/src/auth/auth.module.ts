import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKeyEntity } from './api-key.entity';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysService } from './api-keys.service';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { TokenService } from './token.service';

/** Bearer JWTs and API keys, the global guard, and the endpoints that manage credentials. */
@Module({
  imports: [TypeOrmModule.forFeature([ApiKeyEntity])],
  controllers: [AuthController, ApiKeysController],
  providers: [TokenService, ApiKeysService, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [TokenService, ApiKeysService],
})
export class AuthModule {}
