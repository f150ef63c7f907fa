# The Sluice image for docker-compose.yml: the broker (`sluice start`) and the
# metrics exporter (`sluice-exporter`) from one build of the workspace.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/core/package.json packages/core/
COPY packages/metrics-exporter/package.json packages/metrics-exporter/
COPY packages/broker/package.json packages/broker/
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json ./
COPY scripts/copy-lua.mjs scripts/
COPY packages packages
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app /app
USER node
EXPOSE 9324 9400
CMD ["node", "packages/broker/dist/cli.js", "start", "--host", "0.0.0.0"]
