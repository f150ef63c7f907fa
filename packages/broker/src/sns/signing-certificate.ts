import { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { QueueEngine } from '@sluice/core';
import { isRedisUnavailable } from '../redis-errors';

/**
 * Serves the certificate SNS messages are signed under at the path their
 * SigningCertURL names, `/SimpleNotificationService-<digest>.pem`, as SNS
 * does; any other certificate name is not found.
 */
export function signingCertificateRouter(
  engine: QueueEngine,
  logger: Logger,
): Router {
  const router = Router();
  router.get(
    /^\/SimpleNotificationService-[^/]*\.pem$/,
    async (req: Request, res: Response) => {
      try {
        const { name, pem } = await engine.topics.signingCertificate();
        if (req.path !== `/${name}`) {
          res.status(404).type('text/plain').send('Not Found');
          return;
        }
        res.type('application/x-pem-file').send(pem);
      } catch (error) {
        const unavailable = isRedisUnavailable(error);
        logger[unavailable ? 'warn' : 'error'](
          { err: error },
          'cannot serve the SNS signing certificate',
        );
        res
          .status(unavailable ? 503 : 500)
          .type('text/plain')
          .send(unavailable ? 'Service Unavailable' : 'Internal Error');
      }
    },
  );
  return router;
}
