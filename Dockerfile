# The silo image: one process that is an Orleans silo and serves the HTTP API.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Minsheng.Silo -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
COPY seeds /app/seeds
# The metrics port listens on loopback unless told otherwise: in a container Prometheus scrapes it from outside.
ENV Minsheng__Seeds=/app/seeds \
    ASPNETCORE_URLS=http://0.0.0.0:8080 \
    Minsheng__Metrics__Address=0.0.0.0
EXPOSE 8080 9464 11111 30000
ENTRYPOINT ["dotnet", "Minsheng.Silo.dll"]
