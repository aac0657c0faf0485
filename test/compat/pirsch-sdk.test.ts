import { Pirsch } from 'pirsch-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Domain } from '../../src/store/meta/schema.ts';
import { makeDomain, makeOauthClient, makeUser, type OauthClient } from '../helpers/accounts.ts';
import { createTestWorld, type TestWorld } from '../helpers/stores.ts';

// The official JS SDK (npm pirsch-sdk 2.9.1) against a listening server: wire compatibility.
let world: TestWorld;
let baseUrl: string;
let domain: Domain;
let userClient: OauthClient;
let domainClient: OauthClient;

beforeAll(async () => {
  world = await createTestWorld();
  baseUrl = await world.app.listen({ port: 0, host: '127.0.0.1' });
  const user = await makeUser(world.meta.db);
  domain = await makeDomain(world.meta.db, user, 'sdk.example.com');
  userClient = await makeOauthClient(world.meta.db, user, null);
  domainClient = await makeOauthClient(world.meta.db, user, domain);
});
afterAll(() => world.close());

const sdk = (client: OauthClient) =>
  new Pirsch({
    baseUrl,
    clientId: client.clientId,
    clientSecret: client.secret,
    hostname: 'sdk.example.com',
  });

describe('pirsch-sdk 2.9.1', () => {
  it('obtains a token and reads the domain of a domain client', async () => {
    const result = await sdk(domainClient).domain();
    expect(result).toMatchObject({ id: domain.id, hostname: 'sdk.example.com', user_role: '' });
  });

  it('reads the first domain of a user client', async () => {
    const result = await sdk(userClient).domain();
    expect(result).toMatchObject({ id: domain.id, user_role: 'Owner', timezone: null });
  });

  it('refreshes its token after a 401 and retries', async () => {
    const client = sdk(domainClient);
    await client.domain();
    await world.meta.db
      .updateTable('access_token')
      .set({ expires_at: '2000-01-01T00:00:00.000Z' })
      .execute();
    const result = await client.domain();
    expect(result).toMatchObject({ id: domain.id });
  });

  it('surfaces a wrong secret as an API error with the envelope message', async () => {
    const client = new Pirsch({
      baseUrl,
      clientId: domainClient.clientId,
      clientSecret: 'x'.repeat(64),
      hostname: 'sdk.example.com',
    });
    await expect(client.domain()).rejects.toMatchObject({ code: 401 });
  });
});
