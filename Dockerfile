# The silo image: one process that is an Orleans silo and serves the HTTP API and the battle-map page.
#   docker build -t minsheng-silo .
# Three stages: the page's npm packages (the SDK image has no npm), the .NET build, and the runtime on the ASP.NET image.

# The page's vendor packages (Apache ECharts), from the committed lockfile only.
FROM node:22-bookworm-slim AS page
WORKDIR /web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore from the project files alone, so the restored layer is reused until a package or project reference changes.
COPY global.json Directory.Build.props Directory.Packages.props Minsheng.Grains.sln ./
COPY src/Minsheng.Cli/Minsheng.Cli.csproj src/Minsheng.Cli/
COPY src/Minsheng.Demo/Minsheng.Demo.csproj src/Minsheng.Demo/
COPY src/Minsheng.Domain/Minsheng.Domain.csproj src/Minsheng.Domain/
COPY src/Minsheng.Exports/Minsheng.Exports.csproj src/Minsheng.Exports/
COPY src/Minsheng.Grains.Abstractions/Minsheng.Grains.Abstractions.csproj src/Minsheng.Grains.Abstractions/
COPY src/Minsheng.Grains/Minsheng.Grains.csproj src/Minsheng.Grains/
COPY src/Minsheng.Hosting/Minsheng.Hosting.csproj src/Minsheng.Hosting/
COPY src/Minsheng.Persistence/Minsheng.Persistence.csproj src/Minsheng.Persistence/
COPY src/Minsheng.Silo/Minsheng.Silo.csproj src/Minsheng.Silo/
RUN dotnet restore src/Minsheng.Silo/Minsheng.Silo.csproj
COPY src/ src/
# The silo's build copies the page's vendor files from web/node_modules into wwwroot/vendor/ (MinshengPageVendor in its
# csproj), and publish takes them along; with the packages installed it needs no npm here.
COPY web/package.json web/package-lock.json web/
COPY --from=page /web/node_modules web/node_modules
RUN dotnet publish src/Minsheng.Silo/Minsheng.Silo.csproj -c Release -o /app --no-restore --nologo -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app .
COPY seeds/*.plan.json /app/seeds/
# The API on 8080 for every interface (appsettings.json says localhost:5080, for a developer's machine); the metrics
# port (9464) listens on loopback unless told otherwise: in a container Prometheus scrapes it from outside.
ENV Minsheng__Seeds=/app/seeds \
    ASPNETCORE_URLS=http://0.0.0.0:8080 \
    Minsheng__Metrics__Address=0.0.0.0
EXPOSE 8080 9464 11111 30000
# The image's unprivileged `app` user: the silo binds only ports above 1024 and writes nothing to its folder.
USER $APP_UID
# The image has neither curl nor wget; bash (Ubuntu's) speaks enough HTTP over /dev/tcp to ask /health/live on the
# port above. Liveness only: readiness depends on the database, and orchestrators (compose, Kubernetes) probe it themselves.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health/live HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["dotnet", "Minsheng.Silo.dll"]
