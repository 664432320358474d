import {
  type KyselyPlugin,
  OperationNodeTransformer,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  TableNode,
  type UnknownRow,
} from "kysely";
import {
  MIKA_POSTGRES_TABLES,
  type MikaTableLocation,
  physicalTableName,
} from "../schema/table-names.ts";

const LOGICAL_TABLES = new Set<string>(MIKA_POSTGRES_TABLES);

class QualifyTablesTransformer extends OperationNodeTransformer {
  readonly #location: MikaTableLocation;

  constructor(location: MikaTableLocation) {
    super();
    this.#location = location;
  }

  protected override transformTable(node: TableNode): TableNode {
    const { schema, identifier } = node.table;
    // Only unqualified logical names are ours; aliases, `excluded` and foreign tables pass through.
    if (schema || !LOGICAL_TABLES.has(identifier.name)) return super.transformTable(node);
    return TableNode.createWithSchema(
      this.#location.schema,
      physicalTableName(this.#location, identifier.name),
    );
  }
}

/**
 * Rewrites the logical table names the repositories use (`email_outbox`) into the configured
 * schema and prefix (`"public"."mika_email_outbox"`). The schema and prefix were validated as
 * identifiers and are emitted as quoted identifier nodes, never spliced into SQL text.
 */
export class QualifyTablesPlugin implements KyselyPlugin {
  readonly #transformer: QualifyTablesTransformer;

  constructor(location: MikaTableLocation) {
    this.#transformer = new QualifyTablesTransformer(location);
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.#transformer.transformNode(args.node, args.queryId);
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}
