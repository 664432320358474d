import { createMaintenanceHttp } from "@mika-maintenance/http";
import { createMemoryRepositories } from "@mika-maintenance/memory";

const http = createMaintenanceHttp({ repositories: createMemoryRepositories() });
const response = await http.fetch(new Request("http://localhost/metrics"));
console.log(response.status, (await response.text()).split("\n")[0]);
